import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { myActions } from "../../app/services/actions.server";
import { viewFamilyTold } from "../../app/services/family.server";
import { nameLeadPractitioner, viewLeadPractitioner } from "../../app/services/lead-practitioner.server";
import { viewCase } from "../../app/services/cases.server";
import { insightDashboard } from "../../app/services/insight.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, createUser } from "../support/factories";
import { decideAtSecondPanel, panelArea } from "../support/panels";

/**
 * After a step down the receiving service names the lead practitioner, who may
 * be from any agency (here a health visitor), with a supervisor because the
 * case is now held outside children's social care. Naming completes the
 * receiving manager's action, shows on the case, tells the person named by
 * reference only, and lets them record what the family was told; insight
 * counts a naming done after its day as late.
 */
describe.each(backends)("naming the lead practitioner (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock, settings: { appUrl: "https://threshold.example.org" } });

  async function steppedDown() {
    clock.set("2026-11-23T09:00:00Z");
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
    return { ...p, erin, down };
  }

  it("is done by the receiving manager, needs a supervisor outside social care, completes the action and tells the person named", async () => {
    const { erin, nurse, health, referrer, down, serviceManager } = await steppedDown();
    const handovers = async () => {
      const dashboard = await insightDashboard(deps(), actorFor(serviceManager), { from: "2026-12", to: "2026-12", area: 0, agency: 0 });
      return dashboard.sections.flatMap((s) => s.figures).find((f) => f.id === "handover-timeliness")!.rows;
    };
    // Friday: the lead was due on Thursday and is still not named; the transfer meeting is not yet due.
    clock.set("2026-12-11T08:30:00Z");
    expect(await handovers()).toEqual([
      ["Name the lead practitioner", 1, 0, 0, 1],
      ["Transfer meeting or joint visit", 1, 0, 0, 0],
    ]);

    // The referrer may read who leads the case, but not name them.
    const asReferrer = await viewLeadPractitioner(deps(), actorFor(referrer), down.reference);
    expect(asReferrer.mayName).toBe(false);
    await expect(
      nameLeadPractitioner(deps(), actorFor(referrer), down.reference, { leadPractitioner: String(referrer.id) }),
    ).rejects.toMatchObject({ status: 403 });

    // Without a supervisor, or with the lead as their own supervisor, it will not do; nothing is kept.
    const page = await viewLeadPractitioner(deps(), actorFor(erin), down.reference);
    expect({ may: page.mayName, supervisor: page.supervisorRequired, people: page.people.some((p) => p.id === nurse.id) }).toEqual({
      may: true,
      supervisor: true,
      people: true,
    });
    expect(await nameLeadPractitioner(deps(), actorFor(erin), down.reference, { leadPractitioner: String(nurse.id) })).toEqual({
      supervisor: expect.stringContaining("Choose the supervisor"),
    });
    expect(
      await nameLeadPractitioner(deps(), actorFor(erin), down.reference, {
        leadPractitioner: String(nurse.id),
        supervisor: String(nurse.id),
      }),
    ).toEqual({ supervisor: "Choose a supervisor other than the lead practitioner" });
    expect(
      await nameLeadPractitioner(deps(), actorFor(erin), down.reference, { leadPractitioner: String(nurse.id), supervisor: "other" }),
    ).toMatchObject({ supervisorName: expect.any(String), supervisorRole: expect.any(String), supervisorAgency: expect.any(String) });
    expect(await t.db.selectFrom("lead_practitioners").select("id").execute()).toEqual([]);

    // A health visitor leads, supervised by the health visiting team leader.
    expect(
      await nameLeadPractitioner(deps(), actorFor(erin), down.reference, {
        leadPractitioner: String(nurse.id),
        supervisor: "other",
        supervisorName: "Hana Lead",
        supervisorRole: "health visiting team leader",
        supervisorAgency: "Community health",
      }),
    ).toBeNull();
    // Named a day late: insight counts it so.
    expect((await handovers())[0]).toEqual(["Name the lead practitioner", 1, 0, 1, 0]);
    const shown = await viewCase(deps(), actorFor(erin), down.reference);
    expect({ lead: shown.case.lead_practitioner, supervisor: shown.supervisor }).toEqual({
      lead: `Nina Nurse, ${health.name}`,
      supervisor: "Hana Lead, health visiting team leader, Community health",
    });

    // Erin's action to name the lead is done; the transfer meeting is still hers to hold.
    const mine = await myActions(deps(), actorFor(erin));
    expect([...mine.overdue, ...mine.dueSoon, ...mine.later].map((a) => a.description)).toEqual([
      expect.stringContaining("Hold the transfer meeting or joint visit"),
    ]);
    expect(mine.done.map((a) => [a.description, a.done_note])).toEqual([
      [expect.stringContaining("Name the lead practitioner"), expect.stringContaining("Nina Nurse")],
    ]);

    // The health visitor is told by reference only, and may now record what the family was told.
    const mail = await t.db.selectFrom("outbox").select(["recipient", "subject", "text_body"]).where("kind", "=", "lead_named").execute();
    expect(mail.map((m) => [m.recipient, m.subject])).toEqual([
      [nurse.email, `Threshold: you are the lead practitioner for case ${down.reference}`],
    ]);
    expect(mail[0].text_body).toContain("Hana Lead");
    expect(JSON.stringify(mail)).not.toMatch(/Jamie|Example|Test Street|2015/);
    expect((await viewFamilyTold(deps(), actorFor(nurse), down.reference)).mayRecord).toBe(true);

    const trail = await t.db.selectFrom("audit_events").select(["action", "record_id"]).where("action", "like", "case.lead_%").execute();
    expect(trail).toEqual(
      expect.arrayContaining([
        { action: "case.lead_viewed", record_id: down.reference },
        { action: "case.lead_named", record_id: down.reference },
      ]),
    );
  });
});
