import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { seedDemoSchedules } from "../../app/seed/demo-panels";
import { recordDecision, viewCase } from "../../app/services/cases.server";
import { runPanelHousekeeping } from "../../app/services/panel-lifecycle.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor } from "../support/factories";
import { HttpClient } from "../support/http-client";
import { submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

/**
 * Whether a step down worked: at its review the lead practitioner or a
 * manager records how the family engaged and why; insight counts the
 * reviews beside bounce-back, so a failed step down has a recorded cause.
 */
describe.each(backends)("the step down's review (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });
  const deps = () => ({ db: t.db, clock });

  it("records how the family engaged, refuses it from someone else, and counts it in insight", async () => {
    await seedDemoUsers(t.db);
    await seedDemoSchedules(t.db, clock.now());
    await runPanelHousekeeping(deps());
    const area = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const chairUser = await loadDemoUser(t.db, "chair.crewe@example.org");
    const down = await submitCompleteRequest(deps(), referrer, "step_down", area.id);
    const up = await submitCompleteRequest(deps(), referrer, "step_up", area.id);
    for (const [request, outcome] of [
      [down, "step_down_agreed_early_help"],
      [up, "step_up_agreed"],
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
    const page = `/cases/${down.reference}/review`;
    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    expect(await (await chair.get(`/cases/${down.reference}`)).text()).toContain(`href="/cases/${down.reference}/review"`);
    // A step up has no such review.
    expect((await chair.get(`/cases/${up.reference}/review`)).status).toBe(404);

    // A manager for another area cannot tell the case exists.
    const other = new HttpClient(server.url);
    await other.signIn("chair.macclesfield@example.org", DEMO_PASSWORD);
    expect((await other.get(page)).status).toBe(404);
    const rita = new HttpClient(server.url);
    await rita.signIn("referrer@example.org", DEMO_PASSWORD);
    expect(await (await rita.get(page)).text()).not.toContain('name="outcome"');
    expect((await rita.post(page, { csrf: await rita.csrfFrom("/requests/new"), outcome: "engaged", reason: "x" })).status).toBe(403);

    // Eight weeks on, at the Team Around the Family review (a new sign-in: sessions do not last that long).
    clock.set("2027-01-18T10:00:00Z");
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const form = { reviewedDay: "18", reviewedMonth: "1", reviewedYear: "2027" };
    const bad = await chair.post(page, { csrf: await chair.csrfFrom(page), ...form, outcome: "", reason: "" });
    expect(bad.status).toBe(422);
    const badPage = await bad.text();
    expect(badPage).toContain("Select how the family engaged");
    expect(badPage).toContain("Enter what the review found");
    const saved = await chair.post(page, {
      csrf: await chair.csrfFrom(page),
      ...form,
      outcome: "declined",
      reason: "Mum felt early help was the social worker under another name",
    });
    expect(saved.status).toBe(302);
    const after = await (await chair.get(`${page}?done=recorded`)).text();
    expect(after).toContain("Recorded: how the family engaged after the step down.");
    expect(after).toContain("Declined the support");
    expect(after).toContain("18 January 2027");
    const rows = await t.db.selectFrom("engagement_reviews").select(["outcome", "reviewed_on", "recorded_by_user_id"]).execute();
    expect(rows).toEqual([{ outcome: "declined", reviewed_on: "2027-01-18", recorded_by_user_id: chairUser.id }]);
    expect(await t.db.selectFrom("audit_events").select("action").where("action", "=", "case.engagement_recorded").execute()).toHaveLength(
      1,
    );

    const subjectAccess = (await (await chair.get(`/cases/${down.reference}/subject-access`)).text()).replace(/<!-- -->/g, "");
    expect(subjectAccess).toContain("Reviews after a step down (1)");
    expect(subjectAccess).toContain("Mum felt early help was the social worker under another name");
    const insight = (await (await chair.get("/insight?from=2026-06&to=2027-01")).text()).replace(/<!-- -->/g, "");
    expect(insight).toContain("After a step down: how families engaged, as their review found");
    expect(insight).toMatch(/Declined the support<\/t[hd]><td[^>]*>1<\/td><td[^>]*>100\.0%/);
  });
});
