import { describe, expect, it } from "vitest";
import { itemDecisionSchema } from "../../app/forms/panel";
import { fixedClock } from "../../app/lib/clock";
import { validate } from "../../app/lib/validation";
import { myActions, sendActionNotices } from "../../app/services/actions.server";
import { saveArea } from "../../app/services/admin.server";
import { decideItem, startMeeting, viewMeeting } from "../../app/services/meeting.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, createUser } from "../support/factories";
import { decideAtSecondPanel, panelArea, parsed } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";

/**
 * The hand-over's clocks once a step down is agreed: the receiving service
 * names its lead practitioner within one working day (when the panel named a
 * team rather than a person) and holds the transfer meeting within five; both
 * are the receiving manager's actions, and a late one is emailed.
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
});
