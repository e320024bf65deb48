/**
 * npm run bench: starts Threshold on freshly seeded demo data (a child process,
 * exactly as `npm start` runs it), drives it with concurrent load on loopback, and
 * prints latency percentiles and throughput; then measures outbox delivery to a
 * local SMTP sink. Also the insight dashboard at a million cases (./insight.ts) and
 * the live panel with 30 watchers and 300 open pages (./live.ts). Bounded in time
 * and count; talks only to 127.0.0.1.
 *
 *   BENCH_SECONDS (default 8) per scenario, BENCH_CONCURRENCY (default 50),
 *   BENCH_EMAILS (default 2000), BENCH_DATABASE_URL to run the app on PostgreSQL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fixedClock, systemClock } from "../../app/lib/clock";
import { connectDatabase } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { enqueueEmail } from "../../emails/outbox";
import { renderEmail } from "../../emails/render";
import { createTransport } from "../../emails/transport";
import { deliverDueEmails } from "../../emails/worker";
import { loadDemoUser as loadUser } from "../../app/seed/demo";
import { startMeeting } from "../../app/services/meeting.server";
import { HttpClient } from "../support/http-client";
import { submitCompleteRequest } from "../support/requests";
import { startSmtpSink } from "../support/smtp";
import { benchInsight } from "./insight";
import { benchLive } from "./live";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const EMAILS = Number(process.env.BENCH_EMAILS ?? 2000);
const PORT = 3700 + Math.floor(Math.random() * 200);
const BASE = `http://127.0.0.1:${PORT}`;

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");

function startApp(dataDir: string): { child: ChildProcess; ready: Promise<number> } {
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "app/server/start.ts"], {
    env: {
      ...process.env,
      PORT: String(PORT),
      DATA_DIR: dataDir,
      DATABASE_URL: process.env.BENCH_DATABASE_URL ?? "",
      SEED_DEMO: process.env.BENCH_DATABASE_URL ? "always" : "auto",
      NODE_ENV: "production",
      SESSION_SECRET: "bench-secret-bench-secret-bench",
      LOG_LEVEL: "warn",
      RUN_WORKER: "true",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const started = Date.now();
  const ready = (async () => {
    while (Date.now() - started < 120_000) {
      if (child.exitCode !== null) throw new Error("the app exited during start-up");
      try {
        if ((await fetch(`${BASE}/healthz`)).ok) return Date.now() - started;
      } catch {
        // not yet listening
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the app did not start within 120 s");
  })();
  return { child, ready };
}

function stopApp(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

async function cookieFor(email: string) {
  // NODE_ENV=production cookies are Secure, which fetch on http:// still sends when set by hand.
  const client = new HttpClient(BASE);
  await client.signIn(email, DEMO_PASSWORD);
  return client;
}

async function load(name: string, client: HttpClient, paths: string[], targetP95?: number, concurrency = CONCURRENCY) {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = Date.now() + SECONDS * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const p = paths[i++ % paths.length];
        const t0 = performance.now();
        const response = await client.get(p);
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (response.status !== 200) errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const p95 = percentile(latencies, 95);
  console.log(
    [
      name.padEnd(28),
      `n=${String(latencies.length).padStart(6)}`,
      `rps=${fmt(latencies.length / SECONDS).padStart(7)}`,
      `p50=${fmt(percentile(latencies, 50)).padStart(6)}ms`,
      `p95=${fmt(p95).padStart(6)}ms`,
      `p99=${fmt(percentile(latencies, 99)).padStart(6)}ms`,
      `errors=${errors}`,
      targetP95 ? `p95/target=${(p95 / targetP95).toFixed(2)} (target ${targetP95} ms)` : "",
    ].join("  "),
  );
  return { p95, errors };
}

/**
 * Puts 60 more requests on the chair's next panel and starts the meeting, so the
 * agenda and chairing pages are measured at the size the issue names.
 */
async function prepareLargePanel(dataDir: string) {
  const connection = await connectDatabase(process.env.BENCH_DATABASE_URL ? { databaseUrl: process.env.BENCH_DATABASE_URL } : { dataDir });
  try {
    const deps = { db: connection.db, clock: systemClock };
    const referrer = await loadUser(connection.db, "referrer@example.org");
    const chair = await loadUser(connection.db, "chair.crewe@example.org");
    for (let i = 0; i < 60; i++) await submitCompleteRequest(deps, referrer, i % 2 ? "step_up" : "step_down", referrer.areaId!);
    const panel = await connection.db
      .selectFrom("agenda_items")
      .select(["panel_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("status", "=", "listed")
      .groupBy("panel_id")
      .orderBy("n", "desc")
      .executeTakeFirstOrThrow();
    const version = (await connection.db.selectFrom("panels").select("version").where("id", "=", panel.panel_id).executeTakeFirstOrThrow())
      .version;
    // The big panel is chaired now, before its date, as a chair may with a reason.
    await startMeeting(deps, { user: chair, ip: null }, panel.panel_id, { version, earlyReason: "Moved forward by agreement" });
    return { id: panel.panel_id, items: Number(panel.n) };
  } finally {
    await connection.close();
  }
}

async function benchWeb() {
  const dataDir = mkdtempSync(path.join(tmpdir(), "threshold-bench-"));
  try {
    const first = startApp(dataDir);
    const firstStart = await first.ready;
    await stopApp(first.child);
    const largePanel = await prepareLargePanel(dataDir);
    const again = startApp(dataDir);
    const restart = await again.ready;
    console.log(
      `start-up: first start (create, migrate, seed) ${firstStart} ms (target 15000, ratio ${(firstStart / 15000).toFixed(2)}); restart ${restart} ms (target 3000, ratio ${(restart / 3000).toFixed(2)})`,
    );
    try {
      const chair = await cookieFor("chair.crewe@example.org");
      const referrer = await cookieFor("referrer@example.org");
      const queue = await (await chair.get("/awaiting-panel")).text();
      const references = [...new Set(queue.match(/TH-\d{4}-\d{6}/g) ?? [])];
      console.log(`load: ${CONCURRENCY} concurrent clients, ${SECONDS} s per scenario, ${references.length} cases in the chair's queue`);
      await load("GET /healthz", chair, ["/healthz"]);
      await load("GET / (home)", chair, ["/"]);
      await load("GET /awaiting-panel", chair, ["/awaiting-panel"], 50);
      await load(
        "GET /cases/:reference",
        chair,
        references.map((r) => `/cases/${r}`),
        50,
      );
      await load("GET /submissions", referrer, ["/submissions"]);
      await load(`GET /panels/:id (agenda, ${largePanel.items} items)`, chair, [`/panels/${largePanel.id}`], 50);
      await load(`GET /panels/:id/meeting (${largePanel.items} items)`, chair, [`/panels/${largePanel.id}/meeting`], 50);
      // The same two pages one request at a time: the time to render each, without queueing.
      await load(`  one at a time: agenda`, chair, [`/panels/${largePanel.id}`], 50, 1);
      await load(`  one at a time: meeting`, chair, [`/panels/${largePanel.id}/meeting`], 50, 1);
    } finally {
      await stopApp(again.child);
    }
    await benchInsight(process.env.BENCH_DATABASE_URL ? { databaseUrl: process.env.BENCH_DATABASE_URL } : { dataDir });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchOutbox() {
  const connection = await connectDatabase(process.env.BENCH_DATABASE_URL ? { databaseUrl: process.env.BENCH_DATABASE_URL } : {});
  const smtp = await startSmtpSink({ parse: false });
  const transport = createTransport({ smtpUrl: smtp.url, from: "Threshold <no-reply@threshold.localhost>" });
  try {
    await migrateToLatest(connection.db);
    await connection.db.deleteFrom("outbox").execute();
    const clock = fixedClock(new Date());
    const run = `${Date.now()}`;
    for (let i = 0; i < EMAILS; i++) {
      const email = renderEmail({
        subject: `Threshold: panel update for case TH-2026-${String(i).padStart(6, "0")}`,
        heading: "Update",
        paragraphs: ["Sign in to read it."],
        link: { href: "http://localhost:3000/", label: "Sign in" },
      });
      await enqueueEmail(connection.db, { ...email, key: `bench:${run}:${i}`, kind: "bench", to: `person${i}@example.test` }, clock.now());
    }
    const deps = { db: connection.db, clock: systemClock };
    const t0 = performance.now();
    let sent = 0;
    for (;;) {
      const r = await deliverDueEmails(deps, transport, { batchSize: 100 });
      sent += r.sent;
      if (r.sent + r.failed === 0) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    const rate = sent / seconds;
    console.log(
      `outbox: ${sent} emails delivered to a local SMTP sink in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} emails/s (target 200, ratio ${(rate / 200).toFixed(2)}); received ${smtp.received.length}`,
    );
  } finally {
    transport.close();
    await smtp.close();
    await connection.close();
  }
}

async function main() {
  console.log(`Threshold benchmark on ${process.env.BENCH_DATABASE_URL ? "PostgreSQL" : "the embedded database"}`);
  await benchWeb();
  await benchLive();
  await benchOutbox();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
