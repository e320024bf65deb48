import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, type Connection } from "../../db/connect";
import { enqueueEmail } from "../../emails/outbox";
import { renderEmail } from "../../emails/render";
import { freePort, scratchDatabase, signedInCookie, startInstance, stopInstance } from "../support/instances";
import { startSmtpSink } from "../support/smtp";

const adminUrl = process.env.TEST_DATABASE_URL;
const TOKEN = "an-operations-token-of-some-length";

/**
 * The mail relay as operators meet it, on `npm start` (two web processes and
 * the worker) on PostgreSQL: the relay down for a while, then back; and a
 * worker killed in the middle of a send. Operators see the backlog on the
 * status, the metrics and the administrators' page, and every email goes out
 * exactly once.
 */
describe.skipIf(!adminUrl)("the mail relay down, and a worker killed mid-send", () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let connection: Connection;

  beforeAll(async () => {
    database = await scratchDatabase(adminUrl!, "relay");
    connection = await connectDatabase({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await connection?.close();
    await database?.drop();
  });

  const enqueue = async (prefix: string, count: number) => {
    for (let i = 0; i < count; i++) {
      await enqueueEmail(
        connection.db,
        {
          ...renderEmail({ subject: "Threshold: an action for you", heading: "h", paragraphs: ["p"] }),
          key: `${prefix}-${i}`,
          kind: "test",
          to: `${prefix}-${i}@example.test`,
        },
        new Date(),
      );
    }
  };
  const rows = (prefix: string) =>
    connection.db.selectFrom("outbox").select(["status", "attempts", "last_error"]).where("recipient", "like", `${prefix}-%`).execute();
  const until = async (what: () => Promise<boolean>, withinMs: number) => {
    const started = Date.now();
    while (Date.now() - started < withinMs) {
      if (await what()) return Date.now() - started;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`not within ${withinMs} ms`);
  };

  it("shows the backlog to operators while the relay is down, and delivers everything once when it returns", async () => {
    const smtpPort = await freePort();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const instance: ChildProcess = await startInstance(
      {
        DATABASE_URL: database.url,
        NODE_ENV: "development",
        WEB_CONCURRENCY: "2",
        SEED_DEMO: "always",
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        STATUS_TOKEN: TOKEN,
        METRICS_TOKEN: TOKEN,
        LOG_LEVEL: "error",
      },
      { port },
    );
    let relay: Awaited<ReturnType<typeof startSmtpSink>> | null = null;
    try {
      const bearer = { headers: { authorization: `Bearer ${TOKEN}` } };
      // Nothing listens on the relay's port: every attempt is refused.
      await enqueue("down", 20);
      await until(async () => (await rows("down")).every((r) => r.status === "pending" && r.attempts >= 1 && r.last_error), 30_000);

      // Still ready (the database answers); the status and the metrics show the backlog and why.
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const status = (await (await fetch(`${base}/status`, bearer)).json()) as {
        status: string;
        problems: string[];
        outbox: { pending: number; retrying: number };
      };
      expect(status.status).toBe("degraded");
      expect(status.outbox.retrying).toBeGreaterThanOrEqual(20);
      expect(status.problems.join("; ")).toContain("could not be sent at their last attempt and are being retried");
      const metrics = await (await fetch(`${base}/metrics`, bearer)).text();
      const figure = (pattern: RegExp) => Number(pattern.exec(metrics)?.[1] ?? NaN);
      expect(figure(/^threshold_outbox_emails\{status="retrying"\} (\d+)$/m)).toBeGreaterThanOrEqual(20);
      expect(figure(/^threshold_email_deliveries_total\{outcome="failed"\} (\d+)$/m)).toBeGreaterThanOrEqual(20);
      // Both web processes' requests are in the one answer (the scrape went to one of them).
      expect(figure(/^threshold_http_request_duration_seconds_count\{route="\/readyz",method="GET",status="200"\} (\d+)$/m)).toBe(1);

      // The administrators see the failures, by kind of error only, and the warning on their pages.
      const admin = await signedInCookie(base, "admin@example.org");
      const page = await (await fetch(`${base}/admin/email`, { headers: { cookie: admin } })).text();
      expect(page).toContain("Email delivery is failing");
      expect(page).toContain("Could not reach the mail server");
      expect(page).toContain("down-0@example.test");
      expect(page).not.toContain("ECONNREFUSED");
      const users = await (await fetch(`${base}/admin/users`, { headers: { cookie: admin } })).text();
      expect(users).toContain("Email delivery is failing");

      // The relay comes back on its address: the retries deliver every email, once.
      relay = await startSmtpSink({ port: smtpPort, parse: false });
      const ms = await until(async () => (await rows("down")).every((r) => r.status === "sent"), 90_000);
      const received = relay.received.flatMap((r) => r.envelopeTo).filter((to) => to.startsWith("down-"));
      console.log(`relay back: 20 waiting emails delivered ${Math.round(ms / 1000)} s later, ${received.length} received`);
      expect(received).toHaveLength(20);
      expect(new Set(received).size).toBe(20);
      const after = (await (await fetch(`${base}/status`, bearer)).json()) as { outbox: { retrying: number } };
      expect(after.outbox.retrying).toBe(0);
      const deliveredMetrics = await (await fetch(`${base}/metrics`, bearer)).text();
      expect(Number(/^threshold_email_deliveries_total\{outcome="sent"\} (\d+)$/m.exec(deliveredMetrics)?.[1])).toBeGreaterThanOrEqual(20);
      expect(/^threshold_outbox_emails\{status="retrying"\} 0$/m.test(deliveredMetrics)).toBe(true);
    } finally {
      await stopInstance(instance);
      await relay?.close();
    }
  }, 240_000);

  it("gives back within a minute the emails a killed worker was sending, and they go out once", async () => {
    // A relay that takes the connection and never answers: the worker is stuck midway through its sends.
    const stuck = await startSmtpSink({ stallAtRecipient: true, parse: false });
    const relay = await startSmtpSink({ parse: false });
    await enqueue("killed", 10);
    const first = await startInstance({ DATABASE_URL: database.url, SMTP_URL: stuck.url, LOG_LEVEL: "error" }, { args: ["worker"] });
    let second: ChildProcess | null = null;
    try {
      await until(async () => (await rows("killed")).every((r) => r.status === "sending"), 60_000);
      first.kill("SIGKILL");
      await new Promise((resolve) => first.once("exit", resolve));
      const killedAt = Date.now();
      second = await startInstance({ DATABASE_URL: database.url, SMTP_URL: relay.url, LOG_LEVEL: "error" }, { args: ["worker"] });
      await until(async () => (await rows("killed")).every((r) => r.status === "sent"), 90_000);
      const seconds = (Date.now() - killedAt) / 1000;
      const received = relay.received.flatMap((r) => r.envelopeTo).filter((to) => to.startsWith("killed-"));
      console.log(`worker killed mid-send: its 10 emails delivered by another worker ${seconds.toFixed(1)} s later`);
      expect(seconds).toBeLessThanOrEqual(60);
      expect(received).toHaveLength(10);
      expect(new Set(received).size).toBe(10);
      expect(stuck.received).toHaveLength(0);
    } finally {
      if (second) await stopInstance(second);
      await stuck.close().catch(() => {});
      await relay.close();
    }
  }, 180_000);
});
