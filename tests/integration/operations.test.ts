import { afterAll, describe, expect, it } from "vitest";
import { connectDatabase } from "../../db/connect";
import { recordHeartbeat } from "../../db/queries/operations";
import { insertAuditEvent, sealAuditChain } from "../../db/queries/audit";
import { enqueueEmail } from "../../emails/outbox";
import { renderEmail } from "../../emails/render";
import { fixedClock, MINUTE } from "../../app/lib/clock";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { backends, useTestDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { seedDemoUsers, startTestServer, type TestServer } from "../support/server";

const TOKEN = "a-monitoring-token-of-some-length";

describe.each(backends)("health, readiness and the operators' status (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });
  const start = async (db = t.db) => {
    const server = await startTestServer(db, { clock, config: { statusToken: TOKEN } });
    servers.push(server);
    return server;
  };

  it("says the process is up and the database reachable, and tells an operator what is waiting and who is working", async () => {
    await seedDemoUsers(t.db);
    const server = await start();
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });

    // The status is for an administrator or a monitoring system holding the token; nobody else.
    expect((await fetch(`${server.url}/status`)).status).toBe(401);
    expect((await fetch(`${server.url}/status`, { headers: { authorization: "Bearer wrong-token-wrong-token-wrong" } })).status).toBe(401);
    const referrer = new HttpClient(server.url);
    await referrer.signIn("referrer@example.org", DEMO_PASSWORD);
    expect((await referrer.get("/status")).status).toBe(403);

    // Two emails waiting, the oldest for 20 minutes, and no worker running: degraded, and why.
    for (const [key, at] of [
      ["a", new Date(clock.now().getTime() - 20 * MINUTE)],
      ["b", clock.now()],
    ] as const) {
      await enqueueEmail(
        t.db,
        { ...renderEmail({ subject: "s", heading: "h", paragraphs: [] }), key, kind: "test", to: "x@example.test" },
        at,
      );
    }
    const byToken = await fetch(`${server.url}/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(byToken.status).toBe(200);
    const degraded = (await byToken.json()) as Record<string, unknown>;
    expect(degraded).toMatchObject({
      status: "degraded",
      outbox: { pending: 2, failed: 0, oldestPendingSeconds: 1200, lastDeliveredAt: null },
      workers: [],
      jobs: { late: 0 },
    });
    expect(degraded.problems).toEqual(["no worker has been heard from in the last minute", "the oldest email has waited 1200 seconds"]);
    expect(JSON.stringify(degraded)).not.toContain("x@example.test");

    // A worker beating, the backlog gone: ok, for an administrator signed in too.
    await recordHeartbeat(t.db, {
      workerId: "w1",
      host: "app-1",
      pid: 42,
      startedAt: clock.now(),
      at: new Date(clock.now().getTime() - 5000),
    });
    await t.db.updateTable("outbox").set({ status: "sent", sent_at: clock.now() }).execute();
    const admin = new HttpClient(server.url);
    await admin.signIn("admin@example.org", DEMO_PASSWORD);
    const ok = (await (await admin.get("/status")).json()) as Record<string, unknown>;
    expect(ok).toMatchObject({ status: "ok", problems: [], workers: [{ host: "app-1", pid: 42, lastBeatSecondsAgo: 5 }] });

    // An audit row two minutes old and still not sealed into the chain: the worker is not sealing.
    await insertAuditEvent(t.db, { at: new Date(clock.now().getTime() - 2 * MINUTE), actorUserId: null, action: "sign_in.failed" });
    const unsealed = (await (await admin.get("/status")).json()) as Record<string, unknown>;
    expect(unsealed).toMatchObject({ status: "degraded", audit: { oldestUnsealedSeconds: 120 } });
    expect(unsealed.problems).toEqual(["audit rows have waited 120 seconds to be sealed into the chain"]);
    await sealAuditChain(t.db);
    expect(await (await admin.get("/status")).json()).toMatchObject({ status: "ok", audit: { unsealed: 0, oldestUnsealedSeconds: null } });
  });

  it("gives a scraper holding the token request durations by route pattern, the backlog and job lag, and nobody else anything", async () => {
    await seedDemoUsers(t.db);
    const plain = await start();
    // Off unless METRICS_TOKEN is set.
    expect((await fetch(`${plain.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);

    const server = await startTestServer(t.db, { clock, config: { metricsToken: TOKEN } });
    servers.push(server);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer wrong-token-wrong-token-wrong" } })).status).toBe(401);
    const referrer = new HttpClient(server.url);
    await referrer.signIn("referrer@example.org", DEMO_PASSWORD);
    expect((await referrer.get("/metrics")).status).toBe(401);
    await referrer.get("/cases/TH-2026-000001?secret=query");
    await referrer.get("/");
    await enqueueEmail(
      t.db,
      { ...renderEmail({ subject: "s", heading: "h", paragraphs: [] }), key: "m1", kind: "test", to: "x@example.test" },
      new Date(clock.now().getTime() - 90_000),
    );
    await t.db.updateTable("outbox").set({ attempts: 1, last_error: "connect ECONNREFUSED 127.0.0.1:25" }).execute();

    const scraped = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get("content-type")).toContain("text/plain");
    // (Counts are per process, and this test process runs the same server on both databases.)
    const text = await scraped.text();
    expect(text).toMatch(
      /threshold_http_request_duration_seconds_count\{route="routes\/cases\.\$reference",method="GET",status="404"\} \d+/,
    );
    expect(text).toMatch(/threshold_http_request_duration_seconds_count\{route="routes\/_index",method="GET",status="200"\} \d+/);
    expect(text).toContain('threshold_outbox_emails{status="waiting"} 1');
    expect(text).toContain('threshold_outbox_emails{status="retrying"} 1');
    expect(text).toContain("threshold_outbox_oldest_waiting_seconds 90");
    expect(text).toContain("threshold_jobs_late 0");
    expect(text).toContain("threshold_database_up 1");
    expect(text).toContain("threshold_live_streams_open 0");
    expect(text).toContain("process_resident_memory_bytes");
    // Patterns only: no reference, query or address becomes a label.
    expect(text).not.toContain("TH-2026");
    expect(text).not.toContain("secret");
    expect(text).not.toContain("x@example.test");
  });

  it("answers readiness 503 with the reason when the database cannot be reached, while liveness stays ok", async () => {
    // A PostgreSQL server that is not there: nothing listens on port 1.
    const gone = await connectDatabase({ databaseUrl: "postgres://postgres@127.0.0.1:1/threshold", connectTimeoutMs: 1000 });
    const server = await start(gone.db);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; reason: string };
    expect(body.status).toBe("unavailable");
    expect(body.reason).toBe("database: cannot be reached");
    await gone.close();
  });
});
