import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { seedDemoSchedules } from "../../app/seed/demo-panels";
import { expireStaleDrafts, saveDraftPage, submitRequest } from "../../app/services/requests.server";
import { recordDecision, viewCase } from "../../app/services/cases.server";
import { editAgendaItem } from "../../app/services/agenda.server";
import { addAction, decideItem, startMeeting } from "../../app/services/meeting.server";
import { agendaItemSchema } from "../../app/forms/panel";
import { validate } from "../../app/lib/validation";
import { actionForm, decisionForm, parsed } from "../support/panels";
import { runPanelHousekeeping } from "../../app/services/panel-lifecycle.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor } from "../support/factories";
import { HttpClient } from "../support/http-client";
import { childAnswers, startAnsweredDraft, stepUpAnswers, submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

/**
 * A child already known, found when a request starts: the same NHS number or
 * case-system number, or the same date of birth and a name close in spelling
 * or sound. Whoever may see the match is offered it; nobody else learns which
 * case or where, and the chair sees the possible match beside the item.
 */
describe.each(backends)("a child already known (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });
  const deps = () => ({ db: t.db, clock });

  async function crewe() {
    await seedDemoUsers(t.db);
    await seedDemoSchedules(t.db, clock.now());
    await runPanelHousekeeping(deps());
    const area = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const alfie = await submitCompleteRequest(deps(), referrer, "step_up", area.id, {
      child: { firstName: "Alfie", lastName: "Aardvark", dobDay: "27", dobMonth: "3", dobYear: "2015", nhsNumber: "943 476 5919" },
    });
    return { area, alfie };
  }

  /** A draft for a new child, answered up to the check page, by one of the demo's people. */
  async function draftFor(email: string, areaId: number, child: Record<string, string>) {
    const actor = actorFor(await loadDemoUser(t.db, email));
    const id = await startAnsweredDraft(deps(), actor, "step_up");
    expect(await saveDraftPage(deps(), actor, id, "child", childAnswers(areaId, child))).toBeNull();
    expect(await saveDraftPage(deps(), actor, id, "details", stepUpAnswers())).toBeNull();
    return { id, actor };
  }

  it("offers the person who may see it the known child, and puts the request on that case when they say it is the same child", async () => {
    const { area, alfie } = await crewe();
    // Spelt differently, same date of birth: a match by spelling and sound.
    const { id } = await draftFor("referrer@example.org", area.id, {
      firstName: "Alfy",
      lastName: "Ardvark",
      dobDay: "27",
      dobMonth: "3",
      dobYear: "2015",
    });
    const rita = new HttpClient(server.url);
    await rita.signIn("referrer@example.org", DEMO_PASSWORD);
    const check = await (await rita.get(`/requests/${id}/check`)).text();
    expect(check).toContain("This child may already be known to Threshold");
    expect(check).toContain(alfie.reference);
    expect(check).toContain("Alfie Aardvark");
    expect(check).toContain("the same date of birth and a similar name");

    // A case not offered for this draft cannot be chosen by editing the form.
    const stranger = await rita.post(`/requests/${id}/check`, {
      csrf: await rita.csrfFrom(`/requests/${id}/check`),
      intent: "same-child",
      reference: "TH-2026-999999",
    });
    expect(stranger.status).toBe(422);

    const same = await rita.post(`/requests/${id}/check`, {
      csrf: await rita.csrfFrom(`/requests/${id}/check`),
      intent: "same-child",
      reference: alfie.reference,
    });
    expect(same.status).toBe(302);
    const after = await (await rita.get(`/requests/${id}/check`)).text();
    expect(after).toContain("Existing case reference");
    expect(after).not.toContain("This child may already be known");
    expect(after).not.toContain("Alfy");
    const request = await t.db.selectFrom("requests").select(["answers"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(request.answers).toMatchObject({ existingReference: alfie.reference, firstName: "", lastName: "" });
    // Alfie's step up is still waiting for its panel: sending says so, on the case, rather than making a second child.
    const sent = await rita.post(`/requests/${id}/check`, { csrf: await rita.csrfFrom(`/requests/${id}/check`) });
    expect(sent.status).toBe(422);
    expect(await sent.text()).toContain("cannot take a step-up request now");
    expect(await t.db.selectFrom("cases").select("id").execute()).toHaveLength(1);
    const audit = await t.db
      .selectFrom("audit_events")
      .select(["action", "detail"])
      .where("action", "in", ["case.possible_match_shown", "request.attached_to_known_case"])
      .execute();
    expect(audit.find((a) => a.action === "case.possible_match_shown")?.detail).toMatchObject({ cases: [alfie.reference] });
    expect(audit.find((a) => a.action === "request.attached_to_known_case")?.detail).toMatchObject({ cases: [alfie.reference] });
  });

  it("tells someone who may not see the match only that the chair will check, and shows the chair the possible match beside the item", async () => {
    const { area, alfie } = await crewe();
    // Eddie (Macclesfield) never worked with Alfie: the same NHS number under another name.
    const { id, actor } = await draftFor("earlyhelp@example.org", area.id, {
      firstName: "Robert",
      lastName: "Jones",
      dobDay: "1",
      dobMonth: "1",
      dobYear: "2016",
      nhsNumber: "9434765919",
    });
    const eddie = new HttpClient(server.url);
    await eddie.signIn("earlyhelp@example.org", DEMO_PASSWORD);
    const check = await (await eddie.get(`/requests/${id}/check`)).text();
    expect(check).toContain("its chair checks whether this child is already known to Threshold");
    expect(check).not.toContain(alfie.reference);
    expect(check).not.toContain("Aardvark");
    expect(check).not.toContain("This is the same child");
    // Nor can he attach the request to the case by naming it.
    const refused = await eddie.post(`/requests/${id}/check`, {
      csrf: await eddie.csrfFrom(`/requests/${id}/check`),
      intent: "same-child",
      reference: alfie.reference,
    });
    expect(refused.status).toBe(422);
    expect(await refused.text()).not.toContain("Aardvark");

    const sent = await submitRequest(deps(), actor, id);
    expect(sent.reference).not.toBe(alfie.reference);
    const panelId = sent.panelId!;
    expect(panelId).toBeTruthy();
    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const agenda = await (await chair.get(`/panels/${panelId}`)).text();
    expect(agenda).toContain("May be a child already known");
    expect(agenda).toContain(`href="/cases/${alfie.reference}"`);
    // A partner on the panel sees no such thing.
    const eddieAgenda = await (await eddie.get(`/panels/${panelId}`)).text();
    expect(eddieAgenda).not.toContain("May be a child already known");
  });

  it("names drafts by child and kind, lets their owner delete them, and deletes those left unsent for 30 days", async () => {
    const { area } = await crewe();
    const { id } = await draftFor("referrer@example.org", area.id, { firstName: "Cara", lastName: "Crane" });
    const rita = new HttpClient(server.url);
    await rita.signIn("referrer@example.org", DEMO_PASSWORD);
    const list = await (await rita.get("/submissions")).text();
    expect(list).toContain("Cara Crane");
    expect(list).toContain(`href="/requests/${id}/delete"`);
    // Someone else's draft is not theirs to delete.
    const hana = new HttpClient(server.url);
    await hana.signIn("partner.health@example.org", DEMO_PASSWORD);
    expect((await hana.get(`/requests/${id}/delete`)).status).toBe(404);

    const confirm = await (await rita.get(`/requests/${id}/delete`)).text();
    expect(confirm).toContain("Step up request for Cara Crane");
    const deleted = await rita.submit(`/requests/${id}/delete`, {});
    expect(deleted.headers.get("location")).toBe("/submissions?deleted=1");
    expect(await (await rita.get("/submissions?deleted=1")).text()).toContain("Your draft has been deleted");
    expect(await t.db.selectFrom("requests").select("id").where("id", "=", id).executeTakeFirst()).toBeUndefined();

    const stale = await draftFor("referrer@example.org", area.id, { firstName: "Dara", lastName: "Dove" });
    const later = (days: number) => ({ db: t.db, clock: fixedClock(new Date(clock.now().getTime() + days * 86_400_000).toISOString()) });
    expect(await expireStaleDrafts(later(29))).toEqual({ draftsExpired: 0 });
    expect(await expireStaleDrafts(later(31))).toEqual({ draftsExpired: 1 });
    expect(await t.db.selectFrom("requests").select("id").where("id", "=", stale.id).executeTakeFirst()).toBeUndefined();
    // Sent requests are never expired.
    expect(await t.db.selectFrom("requests").select("id").where("status", "!=", "draft").execute()).toHaveLength(1);
    const actions = (await t.db.selectFrom("audit_events").select("action").execute()).map((a) => a.action);
    expect(actions).toContain("request.draft_deleted");
    expect(actions).toContain("request.draft_expired");
  });

  it("shows the child's name beside the reference to those who may see the case: the chair's agenda, chairing page and queue, the requester's list", async () => {
    const { alfie } = await crewe();
    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    for (const path of [`/panels/${alfie.panelId}`, `/panels/${alfie.panelId}/meeting`, "/awaiting-panel"]) {
      const page = await (await chair.get(path)).text();
      expect(page, path).toContain(alfie.reference);
      expect(page, path).toContain("Alfie Aardvark");
    }
    const rita = new HttpClient(server.url);
    await rita.signIn("referrer@example.org", DEMO_PASSWORD);
    expect(await (await rita.get("/submissions")).text()).toContain("Alfie Aardvark");
    // The other area's chair sees neither.
    const mina = new HttpClient(server.url);
    await mina.signIn("chair.macclesfield@example.org", DEMO_PASSWORD);
    expect(await (await mina.get("/awaiting-panel")).text()).not.toContain("Aardvark");
  });

  it("shows a partner the name of her own item's child only, on the agenda and the live page, and an action's owner the child's name in My actions", async () => {
    const { area, alfie } = await crewe();
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const bella = await submitCompleteRequest(deps(), referrer, "step_up", area.id, {
      child: { firstName: "Bella", lastName: "Badger", dobDay: "1", dobMonth: "6", dobYear: "2016" },
    });
    expect(bella.panelId).toBe(alfie.panelId);
    const panelId = alfie.panelId!;
    const chairUser = await loadDemoUser(t.db, "chair.crewe@example.org");
    const hana = await loadDemoUser(t.db, "partner.health@example.org");
    const items = await t.db.selectFrom("agenda_items").select(["id", "request_id", "case_id"]).where("panel_id", "=", panelId).execute();
    const itemOf = (r: { requestId: number }) => items.find((i) => i.request_id === r.requestId)!;
    const panelVersion = async () =>
      (await t.db.selectFrom("panels").select("version").where("id", "=", panelId).executeTakeFirstOrThrow()).version;
    // Health is invited for Alfie's item only.
    for (const [request, userIds] of [
      [alfie, [String(hana.id)]],
      [bella, []],
    ] as const) {
      await editAgendaItem(
        deps(),
        actorFor(chairUser),
        panelId,
        itemOf(request).id,
        parsed(
          validate(agendaItemSchema, { version: String(await panelVersion()), slotMinutes: "15", userIds: [...userIds], agencyIds: [] }),
        ),
      );
    }
    await startMeeting(deps(), actorFor(chairUser), panelId, { version: await panelVersion(), earlyReason: "Held early" });
    const caseVersion = (await t.db.selectFrom("cases").select("version").where("id", "=", itemOf(alfie).case_id).executeTakeFirstOrThrow())
      .version;
    const today = clock.now().toISOString().slice(0, 10);
    await decideItem(deps(), actorFor(chairUser), panelId, decisionForm(today, itemOf(alfie).id, caseVersion));
    await addAction(deps(), actorFor(chairUser), panelId, actionForm(today, itemOf(alfie).id, referrer, "2026-12-18"));

    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const live = await (await chair.get(`/panels/${panelId}/live`)).text();
    expect(live).toContain("Alfie Aardvark");
    expect(live).toContain("Bella Badger");

    const partner = new HttpClient(server.url);
    await partner.signIn("partner.health@example.org", DEMO_PASSWORD);
    for (const path of [`/panels/${panelId}`, `/panels/${panelId}/live`]) {
      const page = await (await partner.get(path)).text();
      expect(page, path).toContain(alfie.reference);
      expect(page, path).toContain("Alfie Aardvark");
      expect(page, path).not.toContain("Badger");
      expect(page, path).not.toContain(bella.reference);
    }

    const rita = new HttpClient(server.url);
    await rita.signIn("referrer@example.org", DEMO_PASSWORD);
    const actions = await (await rita.get("/actions")).text();
    expect(actions).toContain(alfie.reference);
    expect(actions).toContain("Alfie Aardvark");
    // Nothing sent names either child.
    const mail = JSON.stringify(await t.db.selectFrom("outbox").select(["subject", "text_body", "html_body", "ics"]).execute());
    for (const name of ["Aardvark", "Badger"]) expect(mail).not.toContain(name);
  });

  it("says on the case page what happens next once the panel has decided, and who holds the risk", async () => {
    const { alfie } = await crewe();
    const chair = await loadDemoUser(t.db, "chair.crewe@example.org");
    const { case: c } = await viewCase(deps(), actorFor(chair), alfie.reference);
    await recordDecision(deps(), actorFor(chair), alfie.reference, {
      requestId: alfie.requestId,
      version: c.version,
      outcome: "not_agreed",
      reasons: "Early help plan is working",
      riskHolderChoice: { name: "Erin Early", role: "team manager", agency: "Early Help" },
    });
    const rita = new HttpClient(server.url);
    await rita.signIn("referrer@example.org", DEMO_PASSWORD);
    const page = await (await rita.get(`/cases/${alfie.reference}`)).text();
    expect(page).toContain("What happens next");
    expect(page).toContain("The case stays with the service it is with. Erin Early, team manager, Early Help holds the risk.");
  });
});
