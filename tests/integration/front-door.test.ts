import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { FormError } from "../../app/lib/errors";
import { frontDoorReferrals, receiveReferral, sendToFrontDoor, setFrontDoorTeam } from "../../app/services/front-door.server";
import { actOnCase, viewCase } from "../../app/services/cases.server";
import {
  answerRiskQuestion,
  awaitingPanelQueue,
  getDraft,
  saveDraftPage,
  startDraft,
  submitRequest,
} from "../../app/services/requests.server";
import { frontDoorSchema } from "../../app/forms/request";
import { validate } from "../../app/lib/validation";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, createArea, createUser } from "../support/factories";
import { HttpClient } from "../support/http-client";
import { panelArea } from "../support/panels";
import { childAnswers, stepUpAnswers, submitCompleteRequest } from "../support/requests";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { seedDemoUsers, useTestServer } from "../support/server";

const FRONT_DOOR_DETAILS = {
  firstName: "Jamie",
  lastName: "Example",
  dobDay: "14",
  dobMonth: "3",
  dobYear: "2015",
  address: "1 Test Street, Crewe",
  concern: "Says a parent's partner hit them last night; scared to go home.",
  contactPhone: "01632 960 001",
};

describe.each(backends)("a child at immediate risk goes to the front door, never a panel (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock, settings: { appUrl: "https://threshold.example.org" } });
  const server = useTestServer(t, { clock });

  async function people() {
    const crewe = await createArea(t.db, "Crewe");
    const referrer = await createUser(t.db, { role: "professional", areaId: crewe.id });
    const chair = await createUser(t.db, { role: "team_manager", areaId: crewe.id, agencyKind: "childrens_social_care" });
    const frontDoor = await createUser(t.db, { role: "professional", areaId: crewe.id, agencyKind: "childrens_social_care" });
    const admin = await createUser(t.db, { role: "admin" });
    return { crewe, referrer, chair, frontDoor, admin };
  }

  function details(areaId: number, over: Record<string, string> = {}) {
    const typed = { ...FRONT_DOOR_DETAILS, areaId: String(areaId), ...over };
    const result = validate(frontDoorSchema("2026-11-23"), typed);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return { answers: result.data, typed };
  }

  it("a request whose risk question was never answered cannot reach a panel", async () => {
    const p = await people();
    const actor = actorFor(p.referrer);
    const id = await startDraft(deps(), actor, "step_up");
    // The later pages refuse until the risk question is answered.
    expect(await saveDraftPage(deps(), actor, id, "child", childAnswers(p.crewe.id))).toEqual({
      form: "Answer whether the child is at immediate risk of harm first",
    });
    // Even with every other answer in the draft (written around the pages), it is not submitted.
    await t.db
      .updateTable("requests")
      .set({ answers: JSON.stringify({ ...childAnswers(p.crewe.id), ...stepUpAnswers() }) })
      .where("id", "=", id)
      .execute();
    await expect(submitRequest(deps(), actor, id)).rejects.toThrowError(FormError);
    expect(await awaitingPanelQueue(deps(), actorFor(p.chair))).toEqual([]);
    // Answered "no", it is kept on the draft and the request goes on.
    await answerRiskQuestion(deps(), actor, id, "no");
    expect((await getDraft(deps(), actor, id)).answers.immediateRisk).toBe("no");
    const submitted = await submitRequest(deps(), actor, id);
    expect(submitted.reference).toMatch(/^TH-/);
  });

  it("over HTTP, posting the question pages without the risk page sends nothing to a panel", async () => {
    await seedDemoUsers(t.db);
    const c = new HttpClient(server.url);
    await c.signIn("referrer@example.org", DEMO_PASSWORD);
    const riskPage = (await c.submit("/requests/new", { kind: "step_up" })).headers.get("location")!;
    const draft = riskPage.replace(/\/risk$/, "");
    // The question pages send an unanswered draft back to the risk question.
    expect((await c.get(`${draft}/child`)).headers.get("location")).toBe(riskPage);
    expect((await c.get(`${draft}/check`)).headers.get("location")).toBe(riskPage);
    const crewe = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    const csrf = await c.csrfFrom("/requests/new");
    const posted = await c.post(`${draft}/child`, { csrf, ...childAnswers(crewe.id) });
    // Sent back to the question, with nothing saved.
    expect(posted.headers.get("location")).toBe(riskPage);
    expect((await t.db.selectFrom("requests").select("answers").executeTakeFirstOrThrow()).answers).toEqual({});
    const check = await c.post(`${draft}/check`, { csrf });
    expect(check.status).not.toBe(500);
    expect(await t.db.selectFrom("requests").select("status").execute()).toEqual([{ status: "draft" }]);
    expect(await t.db.selectFrom("cases").select("id").execute()).toEqual([]);
  });

  it("a 'yes' records nothing until it is sent, and can be taken back", async () => {
    const p = await people();
    const actor = actorFor(p.referrer);
    const id = await startDraft(deps(), actor, "step_up");
    await answerRiskQuestion(deps(), actor, id, "yes");
    expect(await t.db.selectFrom("cases").select("id").execute()).toEqual([]);
    expect((await getDraft(deps(), actor, id)).status).toBe("draft");
    // Changed to "no": the ordinary question pages, and nothing went to the front door.
    await answerRiskQuestion(deps(), actor, id, "no");
    expect(await saveDraftPage(deps(), actor, id, "child", childAnswers(p.crewe.id))).toBeNull();
    await expect(sendToFrontDoor(deps(), actor, id, details(p.crewe.id).answers, details(p.crewe.id).typed)).rejects.toThrowError(
      FormError,
    );
    expect(await t.db.selectFrom("cases").select("id").execute()).toEqual([]);
    expect(await t.db.selectFrom("outbox").select("id").execute()).toEqual([]);
  });

  it("once sent, the case has the child and the concern, the front-door team is told by reference only and takes it", async () => {
    const p = await people();
    await setFrontDoorTeam(deps(), actorFor(p.admin), [p.frontDoor.id]);
    const actor = actorFor(p.referrer);
    const id = await startDraft(deps(), actor, "step_up");
    await answerRiskQuestion(deps(), actor, id, "yes");
    const { answers, typed } = details(p.crewe.id);
    const { reference } = await sendToFrontDoor(deps(), actor, id, answers, typed);

    const view = await viewCase(deps(), actor, reference);
    expect(view.case.status).toBe("front_door");
    expect(view.case.child_first_name).toBe("Jamie");
    expect(view.case.child_date_of_birth).toBe("2015-03-14");
    expect(view.case.child_address).toBe("1 Test Street, Crewe");
    expect(view.case.risk_holder).toContain(p.referrer.name);
    expect(await awaitingPanelQueue(deps(), actorFor(p.chair))).toEqual([]);

    const mail = await t.db.selectFrom("outbox").select(["recipient", "subject", "text_body", "kind"]).execute();
    expect(mail.map((m) => [m.kind, m.recipient])).toEqual([["front_door_referral", p.frontDoor.email]]);
    expect(mail[0].subject).toContain(reference);
    for (const m of mail) {
      for (const secret of ["Jamie", "Example", "Test Street", "2015", "partner hit"])
        expect(`${m.subject} ${m.text_body}`).not.toContain(secret);
    }

    // The team sees the child, the concern and how to reach the person reporting; the case page too.
    const team = actorFor(p.frontDoor);
    const [referral] = await frontDoorReferrals(deps(), team);
    expect(referral).toMatchObject({ reference, child: "Jamie Example", contactPhone: "01632 960 001", receivedAt: null });
    expect(referral.concern).toContain("scared to go home");
    expect((await viewCase(deps(), team, reference)).case.reference).toBe(reference);
    // Someone outside the team does not.
    await expect(frontDoorReferrals(deps(), actorFor(p.chair))).rejects.toMatchObject({ status: 403 });

    await receiveReferral(deps(), team, referral.id);
    expect((await frontDoorReferrals(deps(), team))[0].receivedBy).toBe(p.frontDoor.name);
    await expect(receiveReferral(deps(), team, referral.id)).rejects.toMatchObject({ status: 409 });
    const told = await t.db.selectFrom("outbox").select(["recipient", "kind"]).where("kind", "=", "front_door_received").execute();
    expect(told).toEqual([{ recipient: p.referrer.email, kind: "front_door_received" }]);
    const audit = await t.db.selectFrom("audit_events").select("action").where("record_id", "=", reference).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["case.referred_to_front_door", "case.front_door_received"]));
  });

  it("with no front-door team named, the area's team managers are told", async () => {
    const p = await people();
    const actor = actorFor(p.referrer);
    const id = await startDraft(deps(), actor, "step_up");
    await answerRiskQuestion(deps(), actor, id, "yes");
    const { answers, typed } = details(p.crewe.id);
    await sendToFrontDoor(deps(), actor, id, answers, typed);
    const mail = await t.db.selectFrom("outbox").select("recipient").where("kind", "=", "front_door_referral").execute();
    expect(mail).toEqual([{ recipient: p.chair.email }]);
  });

  it("from a case's page, only its requester and the area's managers send it to the front door, and the panel's chair is told", async () => {
    const area = await panelArea(t.db, deps());
    const { reference } = await submitCompleteRequest(deps(), area.referrer, "step_up", area.area.id);
    const version = async () =>
      (await t.db.selectFrom("cases").select("version").where("reference", "=", reference).executeTakeFirstOrThrow()).version;
    const refer = async () => ({ action: "refer" as const, version: await version(), reason: "Disclosed at school today" });
    // A core member of the panel sees the case but may not pull it off the agenda.
    const core = actorFor(area.ehWorker);
    expect((await viewCase(deps(), core, reference)).case.reference).toBe(reference);
    await expect(actOnCase(deps(), core, reference, await refer())).rejects.toMatchObject({ status: 403 });
    // A manager of another area does not even see it.
    const elsewhere = await createUser(t.db, { role: "team_manager", areaId: (await createArea(t.db)).id });
    await expect(actOnCase(deps(), actorFor(elsewhere), reference, await refer())).rejects.toMatchObject({ status: 404 });
    expect(await t.db.selectFrom("agenda_items").select("status").execute()).toEqual([{ status: "listed" }]);
    // The requester may; the chair of the panel it was on is told, by reference.
    await actOnCase(deps(), actorFor(area.referrer), reference, await refer());
    expect(await t.db.selectFrom("agenda_items").select("status").execute()).toEqual([{ status: "withdrawn" }]);
    const told = await t.db
      .selectFrom("outbox")
      .select(["recipient", "subject", "text_body"])
      .where("kind", "=", "item_left_agenda")
      .execute();
    expect(told.map((m) => m.recipient)).toEqual([area.chair.email]);
    expect(told[0].text_body).toContain("front door");
    expect(told[0].text_body).not.toContain("Jamie");
  });

  it("keeps what was typed and names the field when the front door's details are missing", async () => {
    const result = validate(frontDoorSchema("2026-11-23"), { ...FRONT_DOOR_DETAILS, concern: "", contactPhone: "call me", areaId: "1" });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.concern).toBe("Describe the immediate risk to the child");
      expect(result.errors.contactPhone).toMatch(/phone number/);
    }
  });
});
