import { describe, expect, it } from "vitest";
import { itemDecisionSchema } from "../../app/forms/panel";
import { fixedClock } from "../../app/lib/clock";
import { validate } from "../../app/lib/validation";
import { myActions, sendActionNotices } from "../../app/services/actions.server";
import { saveArea } from "../../app/services/admin.server";
import { nameLeadPractitioner, viewLeadPractitioner } from "../../app/services/lead-practitioner.server";
import { decideItem, startMeeting, viewMeeting } from "../../app/services/meeting.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, createUser } from "../support/factories";
import { decideAtSecondPanel, panelArea, parsed } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";

/**
 * The hand-over's clocks once a step up or step down is agreed: the receiving
 * service names its lead practitioner within one working day (after a step
 * down, when the panel named a team rather than a person) and holds the
 * transfer meeting within five; both are the receiving manager's actions, and
 * a late one is emailed.
 */
describe.each(backends)("the hand-over clocks (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock, settings: { appUrl: "https://threshold.example.org" } });

  it("gives the receiving manager a day to name the lead practitioner and emails them when it is late", async () => {
    const p = await panelArea(t.db, deps());
    const erin = await createUser(t.db, { role: "team_manager", areaId: p.area.id, agencyId: p.earlyHelp.id, name: "Erin Early" });
    // The panel accepts the request's proposal as written: a team, not yet a person.
    const down = await decideAtSecondPanel({ ...deps(), clock }, p, "step_down", "2026-12-09T09:58:00Z", {
      outcome: "step_down_agreed_early_help",
      reasons: "The family is engaging well with the plan",
      riskHolder: String(erin.id),
      leadPractitioner: "proposed",
      leadPractitionerProposed: "Early Help Team, locality hub",
      transferDay: "16",
      transferMonth: "12",
      transferYear: "2026",
    });
    const mine = await myActions(deps(), actorFor(erin));
    const open = [...mine.overdue, ...mine.dueSoon, ...mine.later].map((a) => [a.description, a.due_date]);
    expect(open).toEqual([
      [`Name the lead practitioner for case ${down.reference} (the panel accepted: Early Help Team, locality hub)`, "2026-12-10"],
      [expect.stringContaining("Hold the transfer meeting or joint visit"), "2026-12-16"],
    ]);

    // Friday morning: naming the lead is a day late, and Erin is told; the transfer meeting is not yet due.
    clock.set("2026-12-11T07:00:00Z");
    await sendActionNotices(deps());
    const notices = await t.db
      .selectFrom("outbox")
      .select(["recipient", "kind", "subject", "text_body"])
      .where("kind", "like", "action_%")
      .execute();
    const late = notices.filter((n) => n.recipient === erin.email && n.text_body.includes("Name the lead practitioner"));
    expect(late).toHaveLength(1);
    expect(late[0].text_body).toContain(down.reference);
    expect(JSON.stringify(notices)).not.toMatch(/Aardvark|date of birth/i);
  });
  it("runs on the clocks the administrator set for the area: the decision form starts at the new transfer deadline and the lead is due on time", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const erin = await createUser(t.db, { role: "team_manager", areaId: p.area.id, agencyId: p.earlyHelp.id, name: "Erin Early" });
    const admin = await createUser(t.db, { role: "admin", name: "Ada Admin" });
    await saveArea(deps(), actorFor(admin), {
      id: p.area.id,
      name: p.area.name,
      quorum: { kinds: ["childrens_social_care", "early_help"], others: 2 },
      clocks: { leadWithinDays: 2, transferWithinDays: 10 },
    });
    const panel = (await t.db.selectFrom("panels").selectAll().where("area_id", "=", p.area.id).orderBy("starts_at").execute())[1];
    const down = await submitCompleteRequest(deps(), p.referrer, "step_down", p.area.id);
    clock.set("2026-12-09T09:58:00Z"); // a Wednesday
    const version = (await t.db.selectFrom("panels").select("version").where("id", "=", panel.id).executeTakeFirstOrThrow()).version;
    await startMeeting(deps(), actorFor(p.chair), panel.id, { version });
    // Ten working days from Wednesday 9 December, skipping two weekends (the area's five would have been the 16th).
    const view = await viewMeeting(deps(), actorFor(p.chair), panel.id);
    expect({ within: view.transferWithin, by: view.transferBy }).toEqual({ within: 10, by: "2026-12-23" });
    const item = await t.db.selectFrom("agenda_items").selectAll().where("request_id", "=", down.requestId).executeTakeFirstOrThrow();
    const cv = (await t.db.selectFrom("cases").select("version").where("id", "=", item.case_id).executeTakeFirstOrThrow()).version;
    await decideItem(
      deps(),
      actorFor(p.chair),
      panel.id,
      parsed(
        validate(itemDecisionSchema("2026-12-09"), {
          itemId: String(item.id),
          caseVersion: String(cv),
          outcome: "step_down_agreed_early_help",
          reasons: "The family is engaging well with the plan",
          riskHolder: String(erin.id),
          leadPractitioner: "proposed",
          leadPractitionerProposed: "Early Help Team, locality hub",
          transferDay: "23",
          transferMonth: "12",
          transferYear: "2026",
        }),
      ),
    );
    const mine = await myActions(deps(), actorFor(erin));
    const open = [...mine.overdue, ...mine.dueSoon, ...mine.later].map((a) => [a.description, a.due_date]);
    expect(open).toEqual([
      [expect.stringContaining("Name the lead practitioner"), "2026-12-11"],
      [expect.stringContaining("Hold the transfer meeting or joint visit"), "2026-12-23"],
    ]);
    // Thursday, a day after the decision: on a two-day clock nothing is late yet.
    clock.set("2026-12-10T07:00:00Z");
    await sendActionNotices(deps());
    const sent = await t.db
      .selectFrom("outbox")
      .select(["kind", "text_body"])
      .where("recipient", "=", erin.email)
      .where("kind", "like", "action_%")
      .execute();
    expect(sent.map((m) => m.kind)).not.toContain("action_overdue");
    expect(sent.some((m) => m.text_body.includes("Name the lead practitioner"))).toBe(true);
    expect(sent.map((m) => m.text_body).join("\n")).not.toMatch(/overdue/i);
  });

  it("starts the same clocks when a step up is agreed: social care names the social worker within a day and meets early help within five", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const social = await createUser(t.db, { role: "professional", areaId: p.area.id, agencyId: p.csc.id, name: "Sam Social" });
    const up = await decideAtSecondPanel({ ...deps(), clock }, p, "step_up", "2026-12-09T09:58:00Z", {
      outcome: "step_up_agreed",
      reasons: "Neglect concerns meet the threshold for a social work assessment",
      riskHolder: String(p.chair.id),
    });
    // The chair manages the area's social care team, so the clocks are hers, on My actions with their deadlines.
    const mine = await myActions(deps(), actorFor(p.chair));
    expect([...mine.overdue, ...mine.dueSoon, ...mine.later].map((a) => [a.description, a.due_date])).toEqual([
      [`Name the social worker who leads case ${up.reference} (the lead practitioner)`, "2026-12-10"],
      [`Hold the transfer meeting or joint visit with early help for case ${up.reference}`, "2026-12-16"],
    ]);
    // The area's other social care manager is told, by reference only; the chair, who was there, is not.
    const told = await t.db
      .selectFrom("outbox")
      .select(["recipient", "subject", "text_body"])
      .where("kind", "=", "transfer_notice")
      .execute();
    expect(told.map((m) => [m.recipient, m.subject])).toEqual([
      [p.deputy.email, `Threshold: case ${up.reference} is stepping up to your service`],
    ]);
    expect(told[0].text_body).toContain("Transfer meeting or joint visit: 16 December 2026");

    // Held in social care, the social worker needs no supervisor named; naming her ends the first clock.
    expect((await viewLeadPractitioner(deps(), actorFor(p.chair), up.reference)).supervisorRequired).toBe(false);
    expect(await nameLeadPractitioner(deps(), actorFor(p.chair), up.reference, { leadPractitioner: String(social.id) })).toBeNull();
    const after = await myActions(deps(), actorFor(p.chair));
    expect([...after.overdue, ...after.dueSoon, ...after.later].map((a) => a.description)).toEqual([
      `Hold the transfer meeting or joint visit with early help for case ${up.reference}`,
    ]);

    // Thursday 17th: the transfer meeting is a day late, and the chair is told.
    clock.set("2026-12-17T07:00:00Z");
    await sendActionNotices(deps());
    const late = await t.db
      .selectFrom("outbox")
      .select(["kind", "text_body"])
      .where("recipient", "=", p.chair.email)
      .where("kind", "=", "action_overdue")
      .execute();
    expect(late).toHaveLength(1);
    expect(late[0].text_body).toContain("Hold the transfer meeting or joint visit with early help");
  });
});
