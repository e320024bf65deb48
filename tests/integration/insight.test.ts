import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import type { CurrentUser } from "../../app/lib/context";
import { writePastCase, writePastPanel } from "../../app/seed/history";
import { insightDashboard, refreshInsight, type InsightFilters } from "../../app/services/insight.server";
import { censusReturn } from "../../app/services/census-return.server";
import { nextSnapshotAt } from "../../app/services/insight-snapshot.server";
import { runHousekeeping } from "../../app/services/housekeeping.server";
import { listJobs } from "../../db/queries/jobs";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, createAgency, createArea, createUser } from "../support/factories";

/*
 * Every insight figure on hand-built data whose right answer is worked out
 * by hand in the comments: a child who bounced twice, a panel cancelled with
 * its item moved, a decision corrected after the panel, an extraordinary
 * panel that took items from two routine ones, a deferral twice over, and a
 * decision made across the clock change.
 */
describe.each(backends)("insight figures (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock });
  const at = (iso: string) => new Date(iso);

  async function world() {
    const crewe = await createArea(t.db, "Crewe");
    const nantwich = await createArea(t.db, "Nantwich");
    const school = await createAgency(t.db, "education", "Valley Primary School");
    const health = await createAgency(t.db, "health", "Community Health");
    const csc = await createAgency(t.db, "childrens_social_care", "Children's Social Care");
    const chair = await createUser(t.db, { role: "team_manager", areaId: crewe.id, agencyId: csc.id });
    const serviceManager = await createUser(t.db, { role: "service_manager", areaId: null, agencyId: csc.id });
    const teacher = await createUser(t.db, { role: "professional", areaId: crewe.id, agencyId: school.id });
    const nurse = await createUser(t.db, { role: "partner", areaId: crewe.id, agencyId: health.id });
    const panel = (
      startsAt: string,
      kind: "routine" | "extraordinary" = "routine",
      status: "minutes_published" | "cancelled" = "minutes_published",
    ) =>
      writePastPanel(t.db, {
        areaId: crewe.id,
        kind,
        startsAt: at(startsAt),
        status,
        chairUserId: chair.id,
        attendees: [
          { userId: chair.id, role: "chair", attendance: "in_person" },
          { userId: nurse.id, role: "core", attendance: kind === "extraordinary" ? "online" : "apologies" },
        ],
      });
    const p1 = await panel("2026-01-14T10:00:00Z");
    await panel("2026-01-28T10:00:00Z", "routine", "cancelled");
    const p3 = await panel("2026-02-11T10:00:00Z");
    const extra = await panel("2026-03-04T10:00:00Z", "extraordinary");
    const p4 = await panel("2026-03-11T10:00:00Z");
    const p5 = await panel("2026-05-06T09:00:00Z");
    const by = chair.id;
    // Stepped down, up, down and up again: bounced twice.
    const bounced = await writePastCase(t.db, {
      areaId: crewe.id,
      startIn: "social_care",
      createdAt: at("2026-01-05T09:00:00Z"),
      byUserId: by,
      steps: [
        {
          request: "step_down",
          agencyId: school.id,
          submittedAt: at("2026-01-05T09:00:00Z"),
          decisions: [{ at: at("2026-01-14T10:30:00Z"), outcome: "step_down_agreed_early_help", panelId: p1, transferDate: "2026-01-21" }],
        },
        {
          request: "step_up",
          agencyId: school.id,
          submittedAt: at("2026-01-20T09:00:00Z"),
          decisions: [{ at: at("2026-02-11T10:30:00Z"), outcome: "step_up_agreed", panelId: p3 }],
        },
        {
          request: "step_down",
          agencyId: school.id,
          submittedAt: at("2026-02-20T09:00:00Z"),
          decisions: [
            { at: at("2026-03-11T10:30:00Z"), outcome: "step_down_agreed_volunteer_support", panelId: p4, transferDate: "2026-03-25" },
          ],
        },
        {
          request: "step_up",
          agencyId: school.id,
          submittedAt: at("2026-04-10T09:00:00Z"),
          decisions: [{ at: at("2026-05-06T09:30:00Z"), outcome: "step_up_agreed", panelId: p5 }],
        },
      ],
    });
    // Listed for the cancelled panel of 28 January, moved to and decided at the next one.
    await writePastCase(t.db, {
      areaId: crewe.id,
      startIn: "early_help",
      createdAt: at("2026-01-10T09:00:00Z"),
      byUserId: by,
      steps: [
        {
          request: "step_up",
          agencyId: health.id,
          submittedAt: at("2026-01-10T09:00:00Z"),
          decisions: [{ at: at("2026-02-11T11:00:00Z"), outcome: "step_up_agreed", panelId: p3 }],
        },
      ],
    });
    // Not agreed at the panel, corrected to agreed five weeks later: counts as agreed, in January.
    const corrected = await writePastCase(t.db, {
      areaId: crewe.id,
      startIn: "early_help",
      createdAt: at("2026-01-05T09:00:00Z"),
      byUserId: by,
      steps: [
        {
          request: "step_up",
          agencyId: school.id,
          submittedAt: at("2026-01-05T09:00:00Z"),
          decisions: [{ at: at("2026-01-14T11:00:00Z"), outcome: "not_agreed", panelId: p1 }],
          correction: { at: at("2026-02-20T12:00:00Z"), outcome: "step_up_agreed" },
        },
      ],
    });
    // The extraordinary panel took one step down from each of the next two routine panels.
    for (const submitted of ["2026-02-16T09:00:00Z", "2026-02-23T09:00:00Z"]) {
      await writePastCase(t.db, {
        areaId: crewe.id,
        startIn: "social_care",
        createdAt: at(submitted),
        byUserId: by,
        steps: [
          {
            request: "step_down",
            agencyId: health.id,
            submittedAt: at(submitted),
            decisions: [
              { at: at("2026-03-04T10:30:00Z"), outcome: "step_down_agreed_early_help", panelId: extra, transferDate: "2026-03-18" },
            ],
          },
        ],
      });
    }
    // Deferred twice, then agreed, with no transfer meeting date.
    await writePastCase(t.db, {
      areaId: crewe.id,
      startIn: "social_care",
      createdAt: at("2026-01-02T09:00:00Z"),
      byUserId: by,
      steps: [
        {
          request: "step_down",
          agencyId: school.id,
          submittedAt: at("2026-01-02T09:00:00Z"),
          decisions: [
            { at: at("2026-01-14T11:30:00Z"), outcome: "deferred", panelId: p1 },
            { at: at("2026-02-11T11:30:00Z"), outcome: "deferred", panelId: p3 },
            { at: at("2026-03-11T11:30:00Z"), outcome: "step_down_agreed_early_help", panelId: p4 },
          ],
        },
      ],
    });
    // Submitted at 00:30 on the night the clocks went forward, decided at 00:30 BST on 1 April (23:30 UTC on 31 March).
    await writePastCase(t.db, {
      areaId: nantwich.id,
      startIn: "early_help",
      createdAt: at("2026-03-29T00:30:00Z"),
      byUserId: by,
      steps: [
        {
          request: "step_up",
          agencyId: school.id,
          submittedAt: at("2026-03-29T00:30:00Z"),
          decisions: [{ at: at("2026-03-31T23:30:00Z"), outcome: "step_up_agreed", panelId: null }],
        },
      ],
    });
    // Waiting today for 22 days.
    await writePastCase(t.db, {
      areaId: crewe.id,
      startIn: "early_help",
      createdAt: at("2026-11-01T09:00:00Z"),
      byUserId: by,
      steps: [{ request: "step_up", agencyId: health.id, submittedAt: at("2026-11-01T09:00:00Z"), decisions: [] }],
    });
    // One challenge to the corrected decision, resolved by changing it after 35 days; one action 10 days overdue.
    const decision = await t.db
      .selectFrom("decisions")
      .select("id")
      .where("case_id", "=", corrected.id)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto("challenges")
      .values({
        case_id: corrected.id,
        decision_id: decision.id,
        panel_id: p1,
        area_id: crewe.id,
        raised_by_user_id: teacher.id,
        raiser_agency_id: school.id,
        respondent_user_id: chair.id,
        disagreement: "Threshold met",
        category: "threshold",
        reason: "New information",
        risk_holder: "Chair",
        status: "resolved",
        machine: JSON.stringify({}),
        resolution: "decision_changed",
        created_at: at("2026-01-16T09:00:00Z"),
        updated_at: at("2026-02-20T09:00:00Z"),
        closed_at: at("2026-02-20T09:00:00Z"),
      })
      .execute();
    await t.db
      .insertInto("actions")
      .values({
        case_id: bounced.id,
        description: "Share the plan",
        owner_user_id: teacher.id,
        due_date: "2026-11-13",
        created_by_user_id: chair.id,
        created_at: at("2026-05-06T10:00:00Z"),
      })
      .execute();
    await refreshInsight(deps());
    return { crewe, nantwich, school, health, chair, serviceManager };
  }

  const year: InsightFilters = { from: "2026-01", to: "2026-10", area: 0, agency: 0 };
  const figures = async (user: CurrentUser, filters: InsightFilters) => {
    const dashboard = await insightDashboard(deps(), actorFor(user), filters);
    const byId = new Map(dashboard.sections.flatMap((s) => s.figures).map((f) => [f.id, f]));
    const rows = (id: string) => byId.get(id)!.rows;
    const row = (id: string, first: string) => rows(id).find((r) => r[0] === first);
    const headline = Object.fromEntries(dashboard.headline.map((h) => [h.label, h.value]));
    return { dashboard, byId, rows, row, headline };
  };

  it("an empty period shows nothing counted and nothing left out", async () => {
    const w = await world();
    const f = await figures(w.serviceManager, { from: "2024-01", to: "2024-02", area: 0, agency: 0 });
    expect(f.headline["Requests decided"]).toBe(0);
    expect(f.headline["Panels held"]).toBe("0 (0 extraordinary)");
    expect(f.rows("decisions-by-outcome")).toEqual([]);
    expect(f.row("time-to-decision", "Submission to decision: step up")).toEqual(["Submission to decision: step up", 0, "–", "–"]);
    expect(f.rows("bounce-back")).toEqual([]);
    expect(f.byId.get("decisions-by-outcome")!.chart).toBeNull();
    expect(f.byId.get("requests-per-panel")!.counting).toContain("Left out: 0 requests decided outside a panel");
  });

  it("counts each request once by its settled outcome, a corrected one as corrected and in its panel's month", async () => {
    const w = await world();
    const f = await figures(w.serviceManager, year);
    expect(f.headline["Requests decided"]).toBe(10);
    expect(f.row("decisions-by-outcome", "Step up agreed")).toEqual(["Step up agreed", 5, 0, 5]);
    expect(f.row("decisions-by-outcome", "Step down agreed to early help")).toEqual(["Step down agreed to early help", 0, 4, 4]);
    expect(f.row("decisions-by-outcome", "Step down agreed to volunteer support")).toEqual([
      "Step down agreed to volunteer support",
      0,
      1,
      1,
    ]);
    expect(f.row("decisions-by-outcome", "Not agreed: stays where it is")).toBeUndefined();
    // January: one panel held (the 28th was cancelled), the corrected step up and the first step down decided there.
    expect(f.row("requests-per-panel", "Jan 2026")).toEqual(["Jan 2026", 1, 1, 1, 2]);
    // February: the moved item decided at the next panel, beside the bounce.
    expect(f.row("requests-per-panel", "Feb 2026")).toEqual(["Feb 2026", 1, 2, 0, 2]);
    // March: the extraordinary panel and a routine one.
    expect(f.row("requests-per-panel", "Mar 2026")).toEqual(["Mar 2026", 2, 0, 4, 2]);
    expect(f.byId.get("requests-per-panel")!.counting).toContain("Left out: 1 request decided outside a panel");
    expect(f.headline["Deferred more than once before a decision"]).toBe(1);
    expect(f.byId.get("requests-per-panel")!.chart).toContain("<svg");
  });

  it("times are whole UK days, with the median and 90th percentile exact", async () => {
    const w = await world();
    const f = await figures(w.serviceManager, year);
    // Step ups took 22, 26, 32, 9 and 3 days; step downs 9, 19, 16, 9 and 68.
    expect(f.row("time-to-decision", "Submission to decision: step up")).toEqual(["Submission to decision: step up", 5, 22, 32]);
    expect(f.row("time-to-decision", "Submission to decision: step down")).toEqual(["Submission to decision: step down", 5, 16, 68]);
    expect(f.row("time-to-decision", "Decision to transfer meeting: step down")).toEqual([
      "Decision to transfer meeting: step down",
      4,
      14,
      14,
    ]);
    expect(f.byId.get("time-to-decision")!.counting).toContain("1 agreed step down with no transfer meeting date");
  });

  it("a decision made at 00:30 BST on 1 April counts in April, and the clock change costs no day", async () => {
    const w = await world();
    const march = await figures(w.serviceManager, { from: "2026-03", to: "2026-03", area: w.nantwich.id, agency: 0 });
    expect(march.headline["Requests decided"]).toBe(0);
    const april = await figures(w.serviceManager, { from: "2026-04", to: "2026-04", area: w.nantwich.id, agency: 0 });
    expect(april.headline["Requests decided"]).toBe(1);
    expect(april.row("time-to-decision", "Submission to decision: step up")).toEqual(["Submission to decision: step up", 1, 3, 3]);
  });

  it("sets extraordinary panels beside routine ones", async () => {
    const w = await world();
    const f = await figures(w.serviceManager, year);
    expect(f.row("extraordinary-versus-routine", "Panels held")).toEqual(["Panels held", 4, 1]);
    expect(f.row("extraordinary-versus-routine", "Requests decided")).toEqual(["Requests decided", 7, 2]);
    expect(f.row("extraordinary-versus-routine", "Requests decided per panel")).toEqual(["Requests decided per panel", 1.8, 2]);
    // The nurse sent apologies to every routine panel and joined the extraordinary one online.
    expect(f.row("extraordinary-versus-routine", "Attendance (invited people who came)")).toEqual([
      "Attendance (invited people who came)",
      "50.0%",
      "100.0%",
    ]);
    expect(f.row("extraordinary-versus-routine", "Median days from submission to decision")).toEqual([
      "Median days from submission to decision",
      22,
      9,
    ]);
    expect(f.row("attending-agencies", "Community Health")).toEqual(["Community Health", 0, "0.0%", 1, "100.0%"]);
    expect(f.byId.get("extraordinary-versus-routine")!.counting).toContain("1 cancelled panel left out");
    // Both extraordinary step downs were still in early help 3 and 6 months on.
    expect(f.row("extraordinary-versus-routine", "6 months on: still where the panel put them")).toEqual([
      "6 months on: still where the panel put them",
      expect.any(String),
      "100.0%",
    ]);
  });

  it("counts bounce-back per step: the child who bounced twice counts twice", async () => {
    const w = await world();
    const f = await figures(w.serviceManager, { ...year, area: w.crewe.id });
    // Four step downs to early help, one back within 3 months (28 days); 12 months have passed for none of them yet.
    const rows = f.rows("bounce-back");
    const step = (name: string) => rows.filter((r) => r[1] === name).map((r) => r.slice(2));
    expect(rows.every((r) => r[0] === "Crewe")).toBe(true);
    expect(step("Stepped down to early help, then up again")).toEqual([
      [3, 4, 1, "25.0%"],
      [6, 4, 1, "25.0%"],
      [12, 0, 0, "–"],
    ]);
    expect(step("Stepped down to volunteer support, then up again")).toEqual([
      [3, 1, 1, "100.0%"],
      [6, 1, 1, "100.0%"],
      [12, 0, 0, "–"],
    ]);
    // The reverse: four step ups agreed in Crewe; the February one was stepped down again 28 days later.
    expect(step("Stepped up to social care, then down again")).toEqual([
      [3, 4, 1, "25.0%"],
      [6, 4, 1, "25.0%"],
      [12, 0, 0, "–"],
    ]);
    expect(f.byId.get("bounce-back")!.counting).toContain("left out as too recent: 0, 0 and 9.");
  });

  it("shows waiting work as it stands and challenge outcomes for the period", async () => {
    const w = await world();
    const f = await figures(w.serviceManager, year);
    expect(f.row("awaiting-panel", "Step up")).toEqual(["Step up", 0, 1, 0, 0, 1, 22]);
    expect(f.row("overdue-actions", "Valley Primary School")).toEqual(["Valley Primary School", 1, 10]);
    expect(f.row("challenge-outcomes", "Threshold: the level of need or risk")).toEqual([
      "Threshold: the level of need or risk",
      1,
      10,
      1,
      35,
      "100.0%",
    ]);
    expect(f.row("challenges-by-agency", "Valley Primary School")).toEqual(["Valley Primary School", 1, 10, 1, 35, "100.0%"]);
  });

  it("filters by requesting agency, and keeps a team manager to their own area", async () => {
    const w = await world();
    const health = await figures(w.serviceManager, { ...year, agency: w.health.id });
    expect(health.headline["Requests decided"]).toBe(3);
    const own = await figures(w.chair, { ...year, area: w.nantwich.id });
    expect(own.dashboard.scope.areaId).toBe(w.crewe.id);
    expect(own.headline["Requests decided"]).toBe(9);
  });

  it("keeps current: a decision made after a refresh counts after the next one", async () => {
    const w = await world();
    await writePastCase(t.db, {
      areaId: w.crewe.id,
      startIn: "early_help",
      createdAt: at("2026-06-01T09:00:00Z"),
      byUserId: w.chair.id,
      steps: [
        {
          request: "step_up",
          agencyId: w.school.id,
          submittedAt: at("2026-06-01T09:00:00Z"),
          decisions: [{ at: at("2026-06-10T10:00:00Z"), outcome: "signposted", panelId: null }],
        },
      ],
    });
    expect((await figures(w.serviceManager, year)).headline["Requests decided"]).toBe(10);
    const result = await refreshInsight(deps());
    expect(result.cases).toBe(1);
    expect((await figures(w.serviceManager, year)).headline["Requests decided"]).toBe(11);
  });

  it("maps the period's decisions to Children in Need census codes", async () => {
    const w = await world();
    // Every case has a child behind it: none of their details may reach the return.
    await t.db
      .updateTable("cases")
      .set({ child_first_name: "Jamie", child_last_name: "Example", child_date_of_birth: "2015-04-01", child_address: "12 Acacia Avenue" })
      .execute();
    // One child's ethnicity and disabilities as the requester coded them; a stored value not in the census's lists never reaches it.
    const [first, second] = await t.db.selectFrom("requests").select("id").orderBy("id").limit(2).execute();
    await t.db
      .updateTable("requests")
      .set({ answers: JSON.stringify({ ethnicity: "MWBC", "disabilities[]": ["AUT", "COMM"] }) })
      .where("id", "=", first!.id)
      .execute();
    await t.db
      .updateTable("requests")
      .set({ answers: JSON.stringify({ ethnicity: "=cmd()", "disabilities[]": ["XYZ"] }) })
      .where("id", "=", second!.id)
      .execute();
    const csv = await censusReturn(deps(), actorFor(w.serviceManager), year);
    const lines = csv.trim().split("\n");
    expect(lines).toHaveLength(11);
    expect(lines[0]).toMatch(/,Ethnicity code,Disability codes$/);
    expect(lines.filter((l) => l.endsWith(",MWBC,AUT COMM"))).toHaveLength(1);
    expect(csv).not.toMatch(/cmd|XYZ/);
    expect(lines.some((l) => l.includes("Step down agreed to early help") && l.includes("RC9"))).toBe(true);
    expect(lines.some((l) => l.includes("Step down agreed to volunteer support") && l.includes("RC7"))).toBe(true);
    expect(lines.some((l) => l.includes("Community Health") && l.includes("Step up agreed") && l.includes(",3F,"))).toBe(true);
    expect(csv).not.toMatch(/Jamie|Example|2015-04-01|Acacia/);
  });

  it("sends each service manager their area's headline on Monday at 08:00 UK time, counts only", async () => {
    const w = await world();
    const areaManager = await createUser(t.db, { role: "service_manager", areaId: w.crewe.id, allAreas: false });
    const sunday = fixedClock("2026-11-29T20:00:00Z");
    await runHousekeeping({ db: t.db, clock: sunday, settings: { appUrl: "https://threshold.example.org" } });
    expect((await listJobs(t.db, "insight.weekly_snapshot")).map((j) => new Date(j.run_at).toISOString())).toEqual([
      "2026-11-30T08:00:00.000Z",
    ]);
    expect(await t.db.selectFrom("outbox").select("id").where("kind", "=", "insight_snapshot").execute()).toHaveLength(0);
    sunday.set("2026-11-30T08:00:30Z");
    await runHousekeeping({ db: t.db, clock: sunday, settings: { appUrl: "https://threshold.example.org" } });
    const sent = await t.db.selectFrom("outbox").selectAll().where("kind", "=", "insight_snapshot").orderBy("recipient").execute();
    expect(sent.map((e) => e.recipient).sort()).toEqual([areaManager.email, w.serviceManager.email].sort());
    const forArea = sent.find((e) => e.recipient === areaManager.email)!;
    expect(forArea.subject).toBe("Threshold: weekly panel figures");
    expect(forArea.text_body).toContain("Panel figures for Crewe");
    expect(forArea.text_body).toContain("Requests awaiting a panel today: 1");
    expect(forArea.text_body).toContain(`https://threshold.example.org/insight?area=${w.crewe.id}`);
    expect(forArea.text_body).not.toMatch(/TH-\d{4}-/);
    expect(sent.find((e) => e.recipient === w.serviceManager.email)!.text_body).toContain("Panel figures for all areas");
    // Once only, and next Monday is on the runner.
    await runHousekeeping({ db: t.db, clock: sunday, settings: { appUrl: "https://threshold.example.org" } });
    expect(await t.db.selectFrom("outbox").select("id").where("kind", "=", "insight_snapshot").execute()).toHaveLength(2);
    const pending = (await listJobs(t.db, "insight.weekly_snapshot")).filter((j) => j.status === "pending");
    expect(pending.map((j) => new Date(j.run_at).toISOString())).toEqual(["2026-12-07T08:00:00.000Z"]);
  });

  it("schedules Monday 08:00 in UK time on both sides of the clock change", () => {
    expect(nextSnapshotAt(new Date("2026-03-28T12:00:00Z")).toISOString()).toBe("2026-03-30T07:00:00.000Z");
    expect(nextSnapshotAt(new Date("2026-10-24T12:00:00Z")).toISOString()).toBe("2026-10-26T08:00:00.000Z");
    expect(nextSnapshotAt(new Date("2026-11-30T07:59:00Z")).toISOString()).toBe("2026-11-30T08:00:00.000Z");
    expect(nextSnapshotAt(new Date("2026-11-30T08:00:01Z")).toISOString()).toBe("2026-12-07T08:00:00.000Z");
  });
});
