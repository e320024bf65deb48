import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { seedDemoSchedules } from "../../app/seed/demo-panels";
import { recordDecision, viewCase } from "../../app/services/cases.server";
import { episodesFrom, SSD_EARLY_HELP_COLUMNS } from "../../app/services/early-help-episodes.server";
import { runPanelHousekeeping } from "../../app/services/panel-lifecycle.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor } from "../support/factories";
import { HttpClient } from "../support/http-client";
import { submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

describe("early help episodes from a case's journey", () => {
  const move = (id: number, at: string, from: string | null, to: string) => ({
    id,
    case_id: 1,
    at: new Date(at),
    from_status: from,
    to_status: to,
    reference: "TH-2026-000001",
    case_system_id: null,
    area: "Crewe",
  });

  it("opens an episode on entering early help, keeps it through a step-up request, and ends it with how the case left", () => {
    const episodes = episodesFrom([
      move(1, "2026-01-05T10:00:00Z", null, "early_help"),
      move(2, "2026-02-02T10:00:00Z", "early_help", "step_up_requested"),
      move(3, "2026-02-11T10:00:00Z", "step_up_requested", "social_care"),
      move(4, "2026-06-01T10:00:00Z", "social_care", "step_down_requested"),
      move(5, "2026-06-10T10:00:00Z", "step_down_requested", "early_help"),
    ]);
    expect(episodes).toEqual([
      expect.objectContaining({
        start: "2026-01-05",
        end: "2026-02-11",
        reason: "Case opened in early help",
        endReason: "Stepped up to children's social care",
      }),
      expect.objectContaining({ start: "2026-06-10", end: null, reason: "Stepped down from children's social care", endReason: null }),
    ]);
  });
});

/**
 * The early help episodes export beside the census return: the Standard
 * Safeguarding Dataset's ssd_early_help_episodes columns, cases by reference
 * (or case-system number), no child's details, for managers only.
 */
describe.each(backends)("the early help episodes export (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });
  const deps = () => ({ db: t.db, clock });

  it("lists each stay in early help in the dataset's shape, for a manager only", async () => {
    await seedDemoUsers(t.db);
    await seedDemoSchedules(t.db, clock.now());
    await runPanelHousekeeping(deps());
    const area = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const chairUser = await loadDemoUser(t.db, "chair.crewe@example.org");
    const up = await submitCompleteRequest(deps(), referrer, "step_up", area.id, {
      child: { firstName: "Alfie", lastName: "Aardvark", dobDay: "27", dobMonth: "3", dobYear: "2015" },
    });
    const down = await submitCompleteRequest(deps(), referrer, "step_down", area.id, {
      child: { firstName: "Bella", lastName: "Badger", dobDay: "1", dobMonth: "6", dobYear: "2016" },
    });
    clock.set("2026-11-25T11:00:00Z");
    for (const [request, outcome] of [
      [up, "step_up_agreed"],
      [down, "step_down_agreed_early_help"],
    ] as const) {
      const { case: c } = await viewCase(deps(), actorFor(chairUser), request.reference);
      await recordDecision(deps(), actorFor(chairUser), request.reference, {
        requestId: request.requestId,
        version: c.version,
        outcome,
        reasons: "Agreed by the panel",
        riskHolderChoice: { name: "Erin Early", role: "team manager", agency: "Early Help" },
      });
    }

    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    expect(await (await chair.get("/insight?from=2026-11&to=2026-11")).text()).toContain("/insight/early-help-episodes.csv?");
    const response = await chair.get("/insight/early-help-episodes.csv?from=2026-11&to=2026-11");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const csv = await response.text();
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    expect(header).toBe(SSD_EARLY_HELP_COLUMNS.join(","));
    const byCase = (reference: string) => rows.filter((r) => r.includes(`${reference}-EH`));
    expect(byCase(up.reference)).toHaveLength(1);
    expect(byCase(up.reference)[0]).toContain(
      ",2026-11-23,2026-11-25,Case opened in early help,Stepped up to children's social care,Crewe early help,",
    );
    expect(byCase(down.reference)).toHaveLength(1);
    expect(byCase(down.reference)[0]).toContain(",2026-11-25,,Stepped down from children's social care,,Crewe early help,");
    for (const detail of ["Aardvark", "Badger", "2015-03-27"]) expect(csv).not.toContain(detail);
    const audit = await t.db
      .selectFrom("audit_events")
      .select("detail")
      .where("action", "=", "insight.early_help_episodes_exported")
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.detail)).toContain(up.reference);

    const partner = new HttpClient(server.url);
    await partner.signIn("partner.health@example.org", DEMO_PASSWORD);
    expect((await partner.get("/insight/early-help-episodes.csv?from=2026-11&to=2026-11")).status).toBe(403);
  });
});
