import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { backends, useTestDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

describe.each(backends)("case pages over HTTP (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });

  async function setUp() {
    await seedDemoUsers(t.db);
    const user = await t.db
      .selectFrom("users")
      .innerJoin("agencies", "agencies.id", "users.agency_id")
      .select([
        "users.id",
        "users.name",
        "users.email",
        "users.role",
        "users.agency_id",
        "users.area_id",
        "agencies.name as agency_name",
        "agencies.kind",
      ])
      .where("email", "=", "referrer@example.org")
      .executeTakeFirstOrThrow();
    const referrer = {
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      agencyId: user.agency_id,
      agencyName: user.agency_name,
      agencyKind: user.kind,
      areaId: user.area_id,
      allAreas: false,
    };
    return submitCompleteRequest({ db: t.db, clock }, referrer, "step_up", user.area_id!);
  }

  it("answers 404 for an unknown or malformed case reference", async () => {
    await setUp();
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    expect((await c.get("/cases/TH-2026-999999")).status).toBe(404);
    expect((await c.get("/cases/Jamie%20Example")).status).toBe(404);
  });

  it("hides a case from a chair of another area with a 404", async () => {
    const { reference } = await setUp();
    const c = new HttpClient(server.url);
    await c.signIn("chair.macclesfield@example.org", DEMO_PASSWORD);
    expect((await c.get(`/cases/${reference}`)).status).toBe(404);
  });

  it("refuses a tampered case form with a clear 4xx, never a 500", async () => {
    const { reference } = await setUp();
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const path = `/cases/${reference}`;
    const reopen = await c.submit(path, { intent: "reopen", version: "2", to: "early_help", reason: "x" });
    expect(reopen.status).toBe(409);
    expect(await reopen.text()).toContain("cannot do that now");
    const unknown = await c.submit(path, { intent: "explode", version: "2" });
    expect(unknown.status).toBe(422);
    const noIntent = await c.submit(path, {});
    expect(noIntent.status).toBe(400);
  });

  it("tells the loser of a race what changed, keeping what they typed", async () => {
    const { reference } = await setUp();
    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const referrer = new HttpClient(server.url);
    await referrer.signIn("referrer@example.org", DEMO_PASSWORD);
    const path = `/cases/${reference}`;
    const page = await (await chair.get(path)).text();
    const version = page.match(/name="version" value="(\d+)"/)![1];
    const requestId = page.match(/name="requestId" value="(\d+)"/)![1];
    await referrer.submit(path, { intent: "withdraw", version, reason: "Family moved away" });
    const late = await chair.submit(path, {
      intent: "decide",
      version,
      requestId,
      outcome: "step_up_agreed",
      reasons: "My carefully typed reasons",
      riskHolder: "other",
      riskHolderName: "Chris Crewe",
      riskHolderRole: "team manager",
      riskHolderAgency: "Children's Social Care",
    });
    expect(late.status).toBe(409);
    const html = await late.text();
    expect(html).toContain("This case changed while you were working");
    expect(html).toContain("Step up requested → Early help");
  });
});
