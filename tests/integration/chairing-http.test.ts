import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { fixedClock } from "../../app/lib/clock";
import { formatTime } from "../../app/lib/dates";
import { validate } from "../../app/lib/validation";
import { agendaItemSchema, scheduleSchema } from "../../app/forms/panel";
import { editAgendaItem, sendAgenda } from "../../app/services/agenda.server";
import { concludePanel, decideItem, startMeeting } from "../../app/services/meeting.server";
import { publishMinutes } from "../../app/services/minutes.server";
import { saveSchedule } from "../../app/services/panel-schedules.server";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { backends, useTestDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { decisionForm, parsed, scheduleForm } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

/** Chairing a panel over plain HTTP: whose decision a form records, whose times a partner sees, who corrects. */
describe.each(backends)("chairing over HTTP (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });
  const deps = () => ({ db: t.db, clock, settings: { appUrl: "https://threshold.example.org" } });

  /** Crewe's schedule chaired by Chris Crewe, and a step up then a step down on the 9 December panel. */
  async function setUp() {
    clock.set("2026-11-23T09:00:00Z");
    await seedDemoUsers(t.db);
    const admin = await loadDemoUser(t.db, "admin@example.org");
    const chair = await loadDemoUser(t.db, "chair.crewe@example.org");
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const crewe = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    await saveSchedule(
      deps(),
      { user: admin, ip: null },
      crewe.id,
      parsed(validate(scheduleSchema("2026-11-23"), scheduleForm({ chairUserId: String(chair.id) }))),
    );
    const a = await submitCompleteRequest(deps(), referrer, "step_up", crewe.id);
    const b = await submitCompleteRequest(deps(), referrer, "step_down", crewe.id);
    const panel = (await t.db.selectFrom("panels").selectAll().where("area_id", "=", crewe.id).orderBy("starts_at").execute())[1];
    const items = await t.db.selectFrom("agenda_items").selectAll().where("panel_id", "=", panel.id).orderBy("position").execute();
    const itemA = items.find((i) => i.request_id === a.requestId)!;
    const itemB = items.find((i) => i.request_id === b.requestId)!;
    return { panel, a, b, itemA, itemB, chair };
  }

  const caseVersion = async (caseId: number) =>
    (await t.db.selectFrom("cases").select("version").where("id", "=", caseId).executeTakeFirstOrThrow()).version;
  const panelVersion = async (id: number) =>
    (await t.db.selectFrom("panels").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;

  it("refuses a decision posted for another item than the one under discussion, recording nothing and keeping what was typed", async () => {
    const { panel, a, b, itemA, itemB, chair } = await setUp();
    clock.set("2026-12-09T09:58:00Z");
    await startMeeting(deps(), { user: chair, ip: null }, panel.id, { version: await panelVersion(panel.id) });
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const path = `/panels/${panel.id}/meeting`;
    const csrf = await c.csrfFrom(path);
    expect((await c.post(path, { csrf, intent: "live", move: "start", itemId: String(itemA.id) })).status).toBe(302);

    // The form drawn for the step down, sent while the step up is under discussion.
    const decision = (itemId: number, version: number, reasons: string) => ({
      csrf,
      intent: "decide",
      itemId: String(itemId),
      caseVersion: String(version),
      outcome: "not_agreed",
      reasons,
      riskHolder: String(chair.id),
    });
    const refused = await c.post(path, decision(itemB.id, await caseVersion(itemB.case_id), "Reasons typed for the step down"));
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain(`Case ${a.reference} is under discussion, so nothing was recorded for case ${b.reference}`);
    expect(html).toContain("Reasons typed for the step down");
    expect(await t.db.selectFrom("decisions").select("id").where("panel_id", "=", panel.id).execute()).toEqual([]);
    const stillListed = await t.db.selectFrom("agenda_items").select("status").where("id", "=", itemB.id).executeTakeFirstOrThrow();
    expect(stillListed.status).toBe("listed");
    expect((await t.db.selectFrom("cases").select("status").where("id", "=", itemB.case_id).executeTakeFirstOrThrow()).status).toBe(
      "step_down_requested",
    );

    // The item under discussion takes its own decision.
    const recorded = await c.post(path, decision(itemA.id, await caseVersion(itemA.case_id), "Early help plan is working"));
    expect(recorded.status).toBe(302);
    const decisions = await t.db.selectFrom("decisions").select(["agenda_item_id", "reasons"]).where("panel_id", "=", panel.id).execute();
    expect(decisions).toEqual([{ agenda_item_id: itemA.id, reasons: "Early help plan is working" }]);
  });

  it("offers a step down's proposed lead as a choice: the form as drawn records Not agreed, and accepting it records the lead as proposed", async () => {
    const { panel, itemA, itemB, chair } = await setUp();
    clock.set("2026-12-09T09:58:00Z");
    await startMeeting(deps(), { user: chair, ip: null }, panel.id, { version: await panelVersion(panel.id) });
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const path = `/panels/${panel.id}/meeting`;
    const csrf = await c.csrfFrom(path);
    expect((await c.post(path, { csrf, intent: "live", move: "start", itemId: String(itemA.id) })).status).toBe(302);
    expect((await c.post(path, { csrf, intent: "live", move: "next" })).status).toBe(302);
    const html = await (await c.get(path)).text();
    // "Early Help Team North" has no account: it is offered, chosen, as the request wrote it.
    expect(html).toMatch(/<option value="proposed" selected="">As proposed in the request: Early Help Team North<\/option>/);
    expect(html).toContain('name="leadPractitionerProposed" value="Early Help Team North"');
    expect(html).not.toMatch(/name="leadPractitionerName"[^>]*value="Early Help Team North"/);

    // Without JavaScript the lead fields go with any outcome: the form as drawn records Not agreed.
    const drawn = (outcome: string, extra: Record<string, string> = {}) => ({
      csrf,
      intent: "decide",
      itemId: String(itemB.id),
      outcome,
      reasons: "Decided at panel",
      riskHolder: String(chair.id),
      leadPractitioner: "proposed",
      leadPractitionerProposed: "Early Help Team North",
      leadPractitionerName: "",
      leadPractitionerRole: "",
      leadPractitionerAgency: "",
      ...extra,
    });
    const notAgreed = await c.post(path, { ...drawn("not_agreed"), caseVersion: String(await caseVersion(itemB.case_id)) });
    expect(notAgreed.status).toBe(302);
    const recorded = await t.db
      .selectFrom("decisions")
      .select(["outcome", "lead_practitioner"])
      .where("agenda_item_id", "=", itemB.id)
      .executeTakeFirstOrThrow();
    expect(recorded).toEqual({ outcome: "not_agreed", lead_practitioner: null });
  });

  it("records a step down agreed with the lead as the request proposed it", async () => {
    const { panel, itemB, chair } = await setUp();
    clock.set("2026-12-09T09:58:00Z");
    await startMeeting(deps(), { user: chair, ip: null }, panel.id, { version: await panelVersion(panel.id) });
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const path = `/panels/${panel.id}/meeting`;
    const csrf = await c.csrfFrom(path);
    expect((await c.post(path, { csrf, intent: "live", move: "start", itemId: String(itemB.id) })).status).toBe(302);
    const agreed = await c.post(path, {
      csrf,
      intent: "decide",
      itemId: String(itemB.id),
      caseVersion: String(await caseVersion(itemB.case_id)),
      outcome: "step_down_agreed_early_help",
      reasons: "Plan is working",
      riskHolder: String(chair.id),
      leadPractitioner: "proposed",
      leadPractitionerProposed: "Early Help Team North",
      transferDay: "14",
      transferMonth: "12",
      transferYear: "2026",
    });
    expect(agreed.status).toBe(302);
    const recorded = await t.db
      .selectFrom("decisions")
      .select(["outcome", "lead_practitioner"])
      .where("agenda_item_id", "=", itemB.id)
      .executeTakeFirstOrThrow();
    expect(recorded).toEqual({ outcome: "step_down_agreed_early_help", lead_practitioner: "Early Help Team North" });
  });

  it("shows a partner invited for a later item the panel's time for it, as in her invite and on the live page", async () => {
    const { panel, b, itemB, chair } = await setUp();
    const hana = await loadDemoUser(t.db, "partner.health@example.org");
    await editAgendaItem(
      deps(),
      { user: chair, ip: null },
      panel.id,
      itemB.id,
      parsed(validate(agendaItemSchema, { version: String(await panelVersion(panel.id)), slotMinutes: "15", userIds: [String(hana.id)] })),
    );
    await sendAgenda(deps(), { user: chair, ip: null }, panel.id, { version: await panelVersion(panel.id) });
    const invite = await t.db
      .selectFrom("outbox")
      .select("ics")
      .where("recipient", "=", hana.email)
      .where("kind", "=", "slot_invite")
      .executeTakeFirstOrThrow();
    // The slot her invite gave her, as the pages write times.
    const sentAt = (field: string) =>
      formatTime(
        DateTime.fromFormat(invite.ics!.match(new RegExp(`${field};TZID=Europe/London:(\\d{8}T\\d{6})`))![1], "yyyyMMdd'T'HHmmss", {
          zone: "Europe/London",
        }).toJSDate(),
      );
    const start = sentAt("DTSTART");
    expect(start).toBe("10:15am"); // the step up's 15 minutes come first

    const c = new HttpClient(server.url);
    await c.signIn("partner.health@example.org", DEMO_PASSWORD);
    const agenda = await (await c.get(`/panels/${panel.id}`)).text();
    expect(agenda).toContain(b.reference);
    expect(agenda).toContain(`${start} to ${sentAt("DTEND")}`);
    const live = await (await c.get(`/panels/${panel.id}/live`)).text();
    expect(live.match(/live-order__item--mine"><strong>([^<]+)<\/strong>/)?.[1]).toBe(start);
  });

  it("lets only the panel's chair correct its decision before publication, then tells the chair to ask a service manager", async () => {
    const { panel, itemA, itemB, chair } = await setUp();
    clock.set("2026-12-09T09:58:00Z");
    const actor = { user: chair, ip: null };
    await startMeeting(deps(), actor, panel.id, { version: await panelVersion(panel.id) });
    await decideItem(deps(), actor, panel.id, decisionForm("2026-12-09", itemA.id, await caseVersion(itemA.case_id)));
    await decideItem(
      deps(),
      actor,
      panel.id,
      decisionForm("2026-12-09", itemB.id, await caseVersion(itemB.case_id), { outcome: "not_agreed" }),
    );
    const decision = await t.db.selectFrom("decisions").select("id").where("agenda_item_id", "=", itemA.id).executeTakeFirstOrThrow();
    const path = `/decisions/${decision.id}/correct`;
    const correction = (version: number) => ({
      caseVersion: String(version),
      correctionReason: "The wrong outcome was selected at the meeting",
      outcome: "not_agreed",
      reasons: "Early help plan still working",
      riskHolder: String(chair.id),
    });

    // Another team manager of Crewe did not chair this panel.
    const erin = new HttpClient(server.url);
    await erin.signIn("earlyhelp.manager@example.org", DEMO_PASSWORD);
    const seen = await erin.get(path);
    expect(seen.status).toBe(403);
    expect(await seen.text()).toContain("corrected by the chair of that panel or by a service manager");
    const csrf = await erin.csrfFrom(`/panels/${panel.id}`);
    const sent = await erin.post(path, { csrf, ...correction(await caseVersion(itemA.case_id)) });
    expect(sent.status).toBe(403);
    expect(await t.db.selectFrom("decisions").select("id").where("agenda_item_id", "=", itemA.id).execute()).toHaveLength(1);

    // The chair may, until the minutes are published.
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const form = await (await c.get(path)).text();
    // The corrected decision gets reasons of its own: the box starts empty, the recorded reasons shown above it.
    expect(form).toContain("Neglect concerns meet the threshold for a social work assessment");
    expect(form).toMatch(/<textarea[^>]*name="reasons"[^>]*><\/textarea>/);
    clock.set("2026-12-09T11:20:00Z");
    await concludePanel(deps(), actor, panel.id, { version: await panelVersion(panel.id) });
    // The draft minutes give the times the meeting was held and link each decision to its correction.
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const draft = await (await c.get(`/panels/${panel.id}/minutes`)).text();
    expect(draft).toContain("9:58am to 11:20am (planned for");
    expect(draft).toContain(`href="/decisions/${decision.id}/correct"`);
    expect((draft.match(/href="\/decisions\/\d+\/correct"/g) ?? []).length).toBe(2);
    await publishMinutes(deps(), actor, panel.id, { version: await panelVersion(panel.id) });
    const late = await c.get(path);
    expect(late.status).toBe(403);
    const page = await late.text();
    expect(page).toContain("The minutes of this panel are published, so only a service manager can correct this decision now");
    expect(page).toContain("Ask a service manager to correct it.");
    expect(page).not.toContain("Page not found");

    const sam = new HttpClient(server.url);
    await sam.signIn("service.manager@example.org", DEMO_PASSWORD);
    expect((await sam.get(path)).status).toBe(200);
  });
});
