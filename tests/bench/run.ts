/**
 * npm run bench: Threshold's production build (compiled JavaScript, as `npm
 * start` runs it) on freshly seeded demo data, driven over loopback by
 * autocannon with 20 connections; one table per database (embedded, and
 * PostgreSQL when BENCH_DATABASE_URL is set), with 1 and (on PostgreSQL) 2 web
 * processes. Then the insight dashboard at a million cases, the live panel
 * with 30 watchers and 300 open pages, outbox delivery to a local SMTP
 * sink, what writing a read's audit row costs, and Lighthouse's scores and
 * bytes for the main pages (embedded database). Writes the tables to
 * docs/performance.md. Talks only to 127.0.0.1.
 *
 *   BENCH_SECONDS (default 8) per page, BENCH_CONNECTIONS (default 20),
 *   BENCH_EMAILS (default 2000), BENCH_DATABASE_URL (a PostgreSQL server: a
 *   fresh database is made on it and dropped after). BENCH_PARTS and
 *   BENCH_DATABASES pick a subset while working (then docs/performance.md is
 *   left as it is).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem, tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { fixedClock, systemClock } from "../../app/lib/clock";
import { connectDatabase } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { loadDemoUser } from "../../app/seed/demo";
import { enqueueEmail } from "../../emails/outbox";
import { renderEmail } from "../../emails/render";
import { createTransport } from "../../emails/transport";
import { deliverDueEmails } from "../../emails/worker";
import { startMeeting } from "../../app/services/meeting.server";
import { submitCompleteRequest } from "../support/requests";
import { startSmtpSink } from "../support/smtp";
import { freePort, memoryMb, processTree, scratchDatabase, signedInCookie, startInstance, stopInstance } from "../support/instances";
import { benchInsight } from "./insight";
import { benchLive } from "./live";
import { benchAuditedReads } from "./audit";
import { benchLighthouse } from "./lighthouse";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const EMAILS = Number(process.env.BENCH_EMAILS ?? 2000);
const ITEMS = 60;
// Which parts to run (default all): web, outbox, audit, lighthouse, insight, live; and which databases: embedded, postgres.
const PARTS = new Set((process.env.BENCH_PARTS ?? "web,outbox,audit,lighthouse,insight,live").split(","));
const DATABASES = new Set((process.env.BENCH_DATABASES ?? "embedded,postgres").split(","));

const report: string[] = [];
function say(line = "") {
  console.log(line);
  report.push(line);
}

interface Target {
  label: string;
  postgres: boolean;
  env: Record<string, string>;
  connect: () => ReturnType<typeof connectDatabase>;
  cleanup: () => Promise<void>;
}

async function startServer(target: Target, processes: number, port: number, seed = false): Promise<{ child: ChildProcess; ms: number }> {
  const started = Date.now();
  const child = await startInstance(
    {
      ...target.env,
      NODE_ENV: "production",
      SESSION_SECRET: "bench-secret-bench-secret-bench",
      RUN_WORKER: "true",
      WEB_CONCURRENCY: String(processes),
      // The embedded database seeds itself when new; a fresh PostgreSQL database is seeded on its first start.
      SEED_DEMO: target.postgres ? (seed ? "always" : "never") : "auto",
    },
    { port, timeoutMs: 180_000 },
  );
  // Every web process is up when a burst of requests all answer.
  await Promise.all(Array.from({ length: processes * 4 }, () => fetch(`http://127.0.0.1:${port}/healthz`)));
  return { child, ms: Date.now() - started };
}

interface Measured {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** CPU milliseconds per request spent by the web server's processes, PostgreSQL's, and the load tool. */
  cpu: { web: number; database: number; load: number };
}

const TICK_MS = 10; // /proc reports CPU time in clock ticks of 1/100 s

function cpuTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres") pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/** CPU used so far by the server's processes, PostgreSQL's and this process (the load tool). */
function cpuNow(serverPid: number) {
  const sum = (pids: number[]) => pids.reduce((n, pid) => n + cpuTicks(pid), 0) * TICK_MS;
  const own = process.cpuUsage();
  return { web: sum(processTree(serverPid)), database: sum(postgresPids()), load: (own.user + own.system) / 1000 };
}

/** One page under load with autocannon; percentiles from every response's time. */
async function measure(url: string, cookie: string | null, serverPid: number, connections = CONNECTIONS): Promise<Measured> {
  const times: number[] = [];
  let errors = 0;
  const before = cpuNow(serverPid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: SECONDS, headers: cookie ? { cookie } : {} }, (error, done) =>
      error ? reject(error) : resolve(done),
    );
    // The tracker passes the client first (the typings leave it out).
    (instance as unknown as NodeJS.EventEmitter).on("response", (_client: unknown, status: number, _bytes: number, time: number) => {
      times.push(time);
      if (status !== 200) errors++;
    });
  });
  const after = cpuNow(serverPid);
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] ?? NaN;
  const n = Math.max(1, times.length);
  return {
    rps: result.requests.average,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    errors: errors + result.errors + result.non2xx,
    cpu: { web: (after.web - before.web) / n, database: (after.database - before.database) / n, load: (after.load - before.load) / n },
  };
}

/** Sixty more requests on the Crewe chair's next panel, and the meeting started. */
async function prepareLargePanel(target: Target) {
  const connection = await target.connect();
  try {
    const deps = { db: connection.db, clock: systemClock };
    const referrer = await loadDemoUser(connection.db, "referrer@example.org");
    const chair = await loadDemoUser(connection.db, "chair.crewe@example.org");
    for (let i = 0; i < ITEMS; i++) await submitCompleteRequest(deps, referrer, i % 2 ? "step_up" : "step_down", referrer.areaId!);
    const panel = await connection.db
      .selectFrom("agenda_items")
      .select(["panel_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("status", "=", "listed")
      .groupBy("panel_id")
      .orderBy("n", "desc")
      .executeTakeFirstOrThrow();
    const version = (await connection.db.selectFrom("panels").select("version").where("id", "=", panel.panel_id).executeTakeFirstOrThrow())
      .version;
    await startMeeting(deps, { user: chair, ip: null }, panel.panel_id, { version, earlyReason: "Moved forward by agreement" });
    const onePanelCase = await connection.db
      .selectFrom("agenda_items")
      .innerJoin("cases", "cases.id", "agenda_items.case_id")
      .select("cases.reference")
      .where("agenda_items.panel_id", "=", panel.panel_id)
      .orderBy("agenda_items.position")
      .executeTakeFirstOrThrow();
    return { id: panel.panel_id, items: Number(panel.n), caseReference: onePanelCase.reference };
  } finally {
    await connection.close();
  }
}

const fmt = (n: number) => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : "–");

async function benchDatabase(target: Target) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const fresh = await startServer(target, 1, port, true);
  await stopInstance(fresh.child);
  const panel = await prepareLargePanel(target);
  const processCounts = target.postgres ? [1, 2] : [1];
  const rows: Array<{ page: string; byProcesses: Map<number, Measured> }> = [];
  const oneAtATime: Array<{ page: string; byProcesses: Map<number, Measured> }> = [];
  const rss = new Map<number, number[]>();
  let restartMs = 0;
  for (const processes of processCounts) {
    const server = await startServer(target, processes, port);
    if (processes === 1) restartMs = server.ms;
    try {
      const chair = await signedInCookie(base, "chair.crewe@example.org");
      const pages: Array<[string, string, string | null]> = [
        ["/healthz (Express alone)", "/healthz", null],
        ["/sign-in (bare Remix page)", "/sign-in", null],
        ["/calendar (signed in, near-empty)", "/calendar", chair],
        ["/ (home)", "/", chair],
        [`/panels/:id (agenda, ${panel.items} items)`, `/panels/${panel.id}`, chair],
        [`/panels/:id/meeting (chairing, ${panel.items} items)`, `/panels/${panel.id}/meeting`, chair],
      ];
      for (const [label, url, cookie] of pages) {
        let row = rows.find((r) => r.page === label);
        if (!row) rows.push((row = { page: label, byProcesses: new Map() }));
        row.byProcesses.set(processes, await measure(base + url, cookie, server.child.pid!));
      }
      for (const [label, url] of [
        [`agenda, ${panel.items} items`, `/panels/${panel.id}`],
        [`chairing, ${panel.items} items`, `/panels/${panel.id}/meeting`],
      ] as const) {
        let row = oneAtATime.find((r) => r.page === label);
        if (!row) oneAtATime.push((row = { page: label, byProcesses: new Map() }));
        row.byProcesses.set(processes, await measure(base + url, chair, server.child.pid!, 1));
      }
      rss.set(
        processes,
        processTree(server.child.pid!)
          .map((pid) => memoryMb(pid, "VmHWM"))
          .filter((n) => n > 60),
      );
    } finally {
      await stopInstance(server.child);
    }
  }
  const healthz = (p: number) => rows[0]!.byProcesses.get(p)!.rps;
  const bare = (p: number) => rows[1]!.byProcesses.get(p)!.rps;
  say(`### ${target.label}`);
  say();
  say(
    `${CONNECTIONS} connections, ${SECONDS} s per page; ratios are requests/s against /healthz and against the bare Remix page in the same run.`,
  );
  say();
  const header = [
    "page",
    ...processCounts.flatMap((p) => [`req/s (${p} proc)`, `p50/p95/p99 ms (${p})`, `÷ healthz (${p})`, `÷ bare Remix (${p})`]),
  ];
  if (processCounts.length > 1) header.push("2 proc ÷ 1 proc");
  say(`| ${header.join(" | ")} |`);
  say(`| ${header.map(() => "---").join(" | ")} |`);
  for (const row of rows) {
    const cells = processCounts.flatMap((p) => {
      const m = row.byProcesses.get(p)!;
      return [
        `${fmt(m.rps)}${m.errors ? ` (${m.errors} errors)` : ""}`,
        `${fmt(m.p50)} / ${fmt(m.p95)} / ${fmt(m.p99)}`,
        (m.rps / healthz(p)).toFixed(3),
        (m.rps / bare(p)).toFixed(2),
      ];
    });
    if (processCounts.length > 1) cells.push((row.byProcesses.get(2)!.rps / row.byProcesses.get(1)!.rps).toFixed(2));
    say(`| ${row.page} | ${cells.join(" | ")} |`);
  }
  say();
  say(
    `Where the machine's CPU went, in milliseconds of CPU per request (web processes / PostgreSQL / the load tool), ${cpus().length} cores in all:`,
  );
  say();
  for (const row of rows) {
    say(
      `- ${row.page}: ${processCounts
        .map((p) => {
          const c = row.byProcesses.get(p)!.cpu;
          return `${p} proc ${c.web.toFixed(2)} / ${c.database.toFixed(2)} / ${c.load.toFixed(2)}`;
        })
        .join("; ")}`,
    );
  }
  say();
  say(
    `One request at a time (1 connection): ${oneAtATime
      .map((r) => processCounts.map((p) => `${r.page} p95 ${fmt(r.byProcesses.get(p)!.p95)} ms (${p} proc)`).join(", "))
      .join("; ")} (target p95 < 20 ms).`,
  );
  say();
  say(
    `Peak RSS per process: ${processCounts
      .map(
        (p) =>
          `${p} web process${p > 1 ? "es" : ""}: ${rss
            .get(p)!
            .map((n) => `${n.toFixed(0)} MB`)
            .join(", ")}`,
      )
      .join("; ")}.`,
  );
  say(`Start-up: fresh data (create, migrate, seed) ${fresh.ms} ms; existing data ${restartMs} ms.`);
  say();
}

async function benchOutbox(target: Target) {
  const connection = await target.connect();
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
    say(
      `Outbox (${target.label}): ${sent} emails to a local SMTP sink in ${seconds.toFixed(2)} s = ${(sent / seconds).toFixed(0)} emails/s; received ${smtp.received.length}.`,
    );
  } finally {
    transport.close();
    await smtp.close();
    await connection.close();
  }
}

/** Lighthouse on the pages people use most, on the embedded database's demo with the 60-item panel. */
async function benchPagesInBrowser(target: Target) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const fresh = await startServer(target, 1, port, true);
  await stopInstance(fresh.child);
  const panel = await prepareLargePanel(target);
  const server = await startServer(target, 1, port);
  try {
    const chair = await signedInCookie(base, "chair.crewe@example.org");
    const manager = await signedInCookie(base, "service.manager@example.org");
    await benchLighthouse(
      [
        { label: "/ (home)", url: `${base}/`, cookie: chair },
        { label: `/panels/:id (agenda, ${panel.items} items)`, url: `${base}/panels/${panel.id}`, cookie: chair },
        { label: `/panels/:id/meeting (chairing, ${panel.items} items)`, url: `${base}/panels/${panel.id}/meeting`, cookie: chair },
        { label: "/cases/:reference (a case)", url: `${base}/cases/${panel.caseReference}`, cookie: chair },
        { label: "/insight", url: `${base}/insight`, cookie: manager },
      ],
      say,
    );
  } finally {
    await stopInstance(server.child);
  }
}

/** An audited read beside a bare one; on the embedded database its CPU is this process's own. */
async function benchAudit(target: Target) {
  const connection = await target.connect();
  try {
    const own = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const databaseCpuMs = target.postgres ? () => postgresPids().reduce((n, pid) => n + cpuTicks(pid), 0) * TICK_MS : own;
    await benchAuditedReads(connection, { label: target.label, seconds: SECONDS, connections: CONNECTIONS, databaseCpuMs }, say);
  } finally {
    await connection.close();
  }
}

function embeddedTarget(): Target {
  const dataDir = mkdtempSync(path.join(tmpdir(), "threshold-bench-"));
  return {
    label: "Embedded database (PGlite)",
    postgres: false,
    env: { DATA_DIR: dataDir, DATABASE_URL: "" },
    connect: () => connectDatabase({ dataDir }),
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function postgresTarget(adminUrl: string): Promise<Target> {
  const database = await scratchDatabase(adminUrl, "threshold_bench");
  return {
    label: "PostgreSQL (same machine)",
    postgres: true,
    env: { DATABASE_URL: database.url },
    connect: () => connectDatabase({ databaseUrl: database.url }),
    cleanup: database.drop,
  };
}

async function main() {
  const command = "npm run bench";
  const started = new Date();
  say(
    `Threshold benchmark, ${started.toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  say();
  const targets = DATABASES.has("embedded") ? [embeddedTarget()] : [];
  if (process.env.BENCH_DATABASE_URL && DATABASES.has("postgres")) targets.push(await postgresTarget(process.env.BENCH_DATABASE_URL));
  for (const target of targets) {
    try {
      if (PARTS.has("web")) await benchDatabase(target);
      if (PARTS.has("outbox")) await benchOutbox(target);
      if (PARTS.has("audit")) await benchAudit(target);
      if (!target.postgres && PARTS.has("insight") && PARTS.has("web")) {
        // The insight dashboard on the demo data just measured, and on the million-case databases.
        await benchInsight({ dataDir: target.env.DATA_DIR }, say);
      }
    } finally {
      await target.cleanup();
    }
  }
  say();
  if (PARTS.has("lighthouse") && DATABASES.has("embedded")) {
    // On a database of its own, so the pages are the demo and one 60-item panel, as in the web tables.
    const target = embeddedTarget();
    try {
      await benchPagesInBrowser(target);
    } finally {
      await target.cleanup();
    }
  }
  if (PARTS.has("live")) await benchLive(say);
  if (PARTS.size < 6 || DATABASES.size < 2) return;
  writeFileSync(
    "docs/performance.md",
    [
      "# Performance",
      "",
      `The latest \`${command}\` (${process.env.BENCH_DATABASE_URL ? "with BENCH_DATABASE_URL set" : "embedded database only"}), written by the benchmark itself. These machines vary by up to 2× from day to day: compare the ratios, which are measured side by side in one run.`,
      "",
      ...report,
      "",
    ].join("\n"),
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
