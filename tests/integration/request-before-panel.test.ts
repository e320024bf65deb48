import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { validate } from "../../app/lib/validation";
import { scheduleSchema } from "../../app/forms/panel";
import { saveSchedule } from "../../app/services/panel-schedules.server";
import { concludePanel, decideItem, startMeeting } from "../../app/services/meeting.server";
import { pullItemOntoPanel, viewAgenda } from "../../app/services/agenda.server";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { backends, useTestDatabase } from "../support/database";
import { actorFor } from "../support/factories";
import { HttpClient } from "../support/http-client";
import { decisionForm, namedContact, parsed, scheduleForm } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

/** Decodes the few entities React writes into text. */
const text = (html: string) =>
  html
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");

describe.each(backends)("the request in front of the people deciding (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });
  const deps = () => ({ db: t.db, clock });

  async function crewe(withSchedule = true) {
    clock.set("2026-11-23T09:00:00Z");
    await seedDemoUsers(t.db);
    const admin = await loadDemoUser(t.db, "admin@example.org");
    const chair = await loadDemoUser(t.db, "chair.crewe@example.org");
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const area = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    if (withSchedule) {
      await saveSchedule(
        deps(),
        actorFor(admin),
        area.id,
        parsed(validate(scheduleSchema("2026-11-23"), scheduleForm({ chairUserId: String(chair.id) }))),
      );
    }
    return { chair, referrer, area };
  }

  it("shows what the requester wrote, under the questions' own wording, on the case page; names the panel and who holds the risk meanwhile", async () => {
    const { referrer, area } = await crewe();
    const down = await submitCompleteRequest(deps(), referrer, "step_down", area.id, {
      details: { reason: "The plan's goals are met", outstandingTasks: "Dental check-up" },
    });
    const c = new HttpClient(server.url);
    await c.signIn("referrer@example.org", DEMO_PASSWORD);
    const page = text(await (await c.get(`/cases/${down.reference}`)).text());
    expect(page).toContain("What the requester wrote");
    for (const question of [
      "Why step down, and what has changed?",
      "Outcomes and goals for the family",
      "Proposed lead practitioner or service",
      "Has the family given consent?",
    ]) {
      expect(page).toContain(question);
    }
    expect(page).toContain("The plan's goals are met");
    expect(page).toContain("Dental check-up");
    // The panel it is on, and who holds the risk until it decides: the requester and their agency.
    expect(page).toContain("on the Crewe panel, 9 December 2026, 10:00am to 12:00pm");
    expect(page).toContain(`${referrer.name}, ${referrer.agencyName}, who asked for the panel, until the panel decides`);
    expect(page).not.toContain("Not yet decided by a panel");
    // The confirmation page says the same.
    const confirmation = text(await (await c.get(`/requests/${down.requestId}/submitted`)).text());
    expect(confirmation).toContain("The request is on the Crewe panel on 9 December 2026, 10:00am to 12:00pm.");
  });

  it("asks what practitioners expect to give about the child, in the census's codes, and shows it wherever the request is read", async () => {
    const { referrer, area } = await crewe();
    const c = new HttpClient(server.url);
    await c.signIn("referrer@example.org", DEMO_PASSWORD);
    const draft = (await c.submit("/requests/new", { kind: "step_down" })).headers.get("location")!.replace(/\/[a-z-]+$/, "");
    await c.submit(`${draft}/risk`, { immediateRisk: "no" });
    await c.submit(`${draft}/child`, {
      firstName: "Nia",
      lastName: "Newton",
      dobDay: "5",
      dobMonth: "4",
      dobYear: "2014",
      address: "2 Test Street, Crewe",
      areaId: String(area.id),
    });
    const details = {
      reason: "The child protection plan ended in October.",
      outcomes: "Attends school every day",
      proposedService: "early_help",
      proposedLead: "Early Help, locality hub",
      consent: "given",
      consentDay: "10",
      consentMonth: "11",
      consentYear: "2026",
      consentHow: "At a home visit",
      familyAware: "yes",
      currentPlan: "child_protection",
      allocatedSocialWorker: "Sam Social Worker",
      childsWords: "I like it when Mum walks me to school.",
      school: "Valley Primary School",
      gp: "Crewe Health Centre",
      ethnicity: "MWBC",
      sen: "E",
    };
    // A code not in the census's list, and "no disability" beside a disability, are named beside their fields; what was typed is kept.
    const withBoxes = async (form: Record<string, string>, boxes: string[]) =>
      c.post(`${draft}/details`, [
        ["csrf", await c.csrfFrom(`${draft}/details`)],
        ...Object.entries(form),
        ...boxes.map((b): [string, string] => ["disabilities[]", b]),
      ]);
    const wrong = await withBoxes({ ...details, ethnicity: "XXXX" }, ["NONE", "AUT"]);
    expect(wrong.status).toBe(422);
    const wrongPage = text(await wrong.text());
    expect(wrongPage).toContain("Select the child's ethnicity from the list");
    expect(wrongPage).toContain("Select either no disability or the child's disabilities, not both");
    expect(wrongPage).toContain("I like it when Mum walks me to school.");
    const saved = await withBoxes(details, ["AUT", "COMM"]);
    expect(saved.status).toBe(302);
    const check = text(await (await c.get(`${draft}/check`)).text());
    for (const shown of [
      "Does the family know about this request?",
      "Mixed: White and Black Caribbean",
      "Autism or Asperger syndrome (diagnosed), Communication",
      "Education, health and care (EHC) plan",
      "Child protection plan",
      "Sam Social Worker",
      "Valley Primary School",
    ]) {
      expect(check).toContain(shown);
    }
    await c.submit(`${draft}/check`, {});
    const stored = await t.db
      .selectFrom("requests")
      .innerJoin("cases", "cases.id", "requests.case_id")
      .select(["requests.answers", "cases.reference"])
      .where("requests.id", "=", Number(draft.split("/").pop()))
      .executeTakeFirstOrThrow();
    // The codes are what is kept, ready for the census.
    expect(stored.answers).toMatchObject({
      ethnicity: "MWBC",
      sen: "E",
      currentPlan: "child_protection",
      "disabilities[]": ["AUT", "COMM"],
    });
    const casePage = text(await (await c.get(`/cases/${stored.reference}`)).text());
    expect(casePage).toContain("I like it when Mum walks me to school.");
    expect(casePage).toContain("Crewe Health Centre");
    // A request without them says nothing of them on the case page.
    const plain = await submitCompleteRequest(deps(), referrer, "step_up", area.id);
    expect(text(await (await c.get(`/cases/${plain.reference}`)).text())).not.toContain("GP practice");
  });

  it("says plainly why a request has no panel yet", async () => {
    const { referrer, area } = await crewe(false);
    const up = await submitCompleteRequest(deps(), referrer, "step_up", area.id);
    const c = new HttpClient(server.url);
    await c.signIn("referrer@example.org", DEMO_PASSWORD);
    const confirmation = text(await (await c.get(`/requests/${up.requestId}/submitted`)).text());
    expect(confirmation).toContain("It is not on a panel yet: the area has no panel schedule.");
  });

  it("puts the request beside the item on the chairing page, and the discussion summary on the chairing page, minutes and case timeline", async () => {
    const { chair, referrer, area } = await crewe();
    const up = await submitCompleteRequest(deps(), referrer, "step_up", area.id, {
      details: { concerns: "Bruising seen twice at school" },
    });
    const panel = (
      await t.db.selectFrom("panels").select(["id", "version"]).where("area_id", "=", area.id).orderBy("starts_at").execute()
    )[1];
    clock.set("2026-12-09T09:58:00Z");
    await startMeeting(deps(), actorFor(chair), panel.id, {
      version: (await t.db.selectFrom("panels").select("version").where("id", "=", panel.id).executeTakeFirstOrThrow()).version,
    });
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const meeting = text(await (await c.get(`/panels/${panel.id}/meeting`)).text());
    expect(meeting).toContain("What the requester wrote");
    expect(meeting).toContain("What are the concerns?");
    expect(meeting).toContain("Bruising seen twice at school");

    const item = await t.db
      .selectFrom("agenda_items")
      .select(["id", "case_id"])
      .where("request_id", "=", up.requestId)
      .executeTakeFirstOrThrow();
    const cv = (await t.db.selectFrom("cases").select("version").where("id", "=", item.case_id).executeTakeFirstOrThrow()).version;
    await decideItem(
      deps(),
      actorFor(chair),
      panel.id,
      decisionForm("2026-12-09", item.id, cv, { discussion: "Health and school both report new bruising" }),
    );
    const decided = text(await (await c.get(`/panels/${panel.id}/meeting?item=${item.id}`)).text());
    expect(decided).toContain("Health and school both report new bruising");
    await concludePanel(deps(), actorFor(chair), panel.id, {
      version: (await t.db.selectFrom("panels").select("version").where("id", "=", panel.id).executeTakeFirstOrThrow()).version,
    });
    expect(text(await (await c.get(`/panels/${panel.id}/minutes`)).text())).toContain("Health and school both report new bruising");
    expect(text(await (await c.get(`/cases/${up.reference}`)).text())).toContain("Discussion: Health and school both report new bruising");
  });

  it("says on the schedule page when an area's schedule has no early help core member", async () => {
    const { area } = await crewe();
    const admin = new HttpClient(server.url);
    await admin.signIn("admin@example.org", DEMO_PASSWORD);
    const warning = "This schedule has no early help core member or agency";
    expect(text(await (await admin.get(`/schedules/${area.id}`)).text())).toContain(warning);
    const earlyHelp = await t.db.selectFrom("agencies").select("id").where("kind", "=", "early_help").executeTakeFirstOrThrow();
    const chair = await loadDemoUser(t.db, "chair.crewe@example.org");
    const version = (await t.db.selectFrom("panel_schedules").select("version").where("area_id", "=", area.id).executeTakeFirstOrThrow())
      .version;
    const saved = await admin.submit(`/schedules/${area.id}`, {
      ...(scheduleForm({ chairUserId: String(chair.id) }) as Record<string, string>),
      coreAgencyIds: String(earlyHelp.id),
      version: String(version),
    });
    expect(saved.status).toBe(302);
    expect(text(await (await admin.get(`/schedules/${area.id}`)).text())).not.toContain(warning);
  });

  it("refuses a transfer meeting on a weekend or bank holiday next to its field", async () => {
    const { itemDecisionSchema } = await import("../../app/forms/panel");
    const base = {
      itemId: "1",
      caseVersion: "2",
      outcome: "step_down_agreed_early_help",
      reasons: "Plan complete",
      ...namedContact("riskHolder", "Ed Early, early help worker, Early Help"),
      ...namedContact("leadPractitioner", "Ed Early, early help worker, Early Help"),
    };
    const on = (day: string, month: string, year: string) =>
      validate(itemDecisionSchema("2026-12-09"), { ...base, transferDay: day, transferMonth: month, transferYear: year });
    const message = "The transfer meeting or joint visit must be on a working day, not a weekend or bank holiday";
    expect(on("12", "12", "2026")).toMatchObject({ ok: false, errors: { transferDay: message } }); // a Saturday
    expect(on("25", "12", "2026")).toMatchObject({ ok: false, errors: { transferDay: message } }); // Christmas Day
    expect(on("28", "12", "2026")).toMatchObject({ ok: false, errors: { transferDay: message } }); // the Boxing Day substitute
    expect(on("16", "12", "2026")).toMatchObject({ ok: true });
  });

  it("offers as late requests only those waiting for a later panel, and refuses one from an earlier panel", async () => {
    const { chair, referrer, area } = await crewe();
    const panels = await t.db.selectFrom("panels").selectAll().where("area_id", "=", area.id).orderBy("starts_at").execute();
    // One request on the 9 December panel; another arrives after its cut-off and waits for 23 December.
    const early = await submitCompleteRequest(deps(), referrer, "step_up", area.id);
    clock.set("2026-12-03T09:00:00Z");
    const later = await submitCompleteRequest(deps(), referrer, "step_up", area.id);
    const onDec9 = panels[1];
    const onDec23 = panels[2];
    const earlyItem = await t.db
      .selectFrom("agenda_items")
      .select(["id", "panel_id"])
      .where("request_id", "=", early.requestId)
      .executeTakeFirstOrThrow();
    const laterItem = await t.db
      .selectFrom("agenda_items")
      .select(["id", "panel_id"])
      .where("request_id", "=", later.requestId)
      .executeTakeFirstOrThrow();
    expect([earlyItem.panel_id, laterItem.panel_id]).toEqual([onDec9.id, onDec23.id]);

    const onNine = await viewAgenda(deps(), actorFor(chair), onDec9.id);
    expect(onNine.movable.map((m) => m.reference)).toEqual([later.reference]);
    const onTwentyThree = await viewAgenda(deps(), actorFor(chair), onDec23.id);
    expect(onTwentyThree.movable.map((m) => m.reference)).toEqual([]);
    const version = (await t.db.selectFrom("panels").select("version").where("id", "=", onDec23.id).executeTakeFirstOrThrow()).version;
    await expect(pullItemOntoPanel(deps(), actorFor(chair), onDec23.id, { version, itemId: earlyItem.id })).rejects.toMatchObject({
      fieldErrors: { itemId: "That request is already on an earlier panel" },
    });
  });
});
