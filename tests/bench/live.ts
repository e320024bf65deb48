/**
 * The live panel under load, part of `npm run bench`: 30 people watching one
 * panel while the chair moves on, and what 300 open live pages cost in memory.
 *
 * On PostgreSQL (BENCH_DATABASE_URL) two app instances share a fresh database:
 * the chair on the first, the watchers split between both, so every change
 * crosses instances through LISTEN/NOTIFY. On the embedded database, one
 * instance. The chair moves every BENCH_LIVE_INTERVAL_MS (default 3000; the
 * latency does not depend on it), alternating next and back.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { connectDatabase } from "../../db/connect";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { HttpClient } from "../support/http-client";
import { freePort, memoryMb, processTree, scratchDatabase, signedInCookie, startInstance, stopInstance } from "../support/instances";
import { startDemoPanelLive } from "../support/live";

const WATCHERS = Number(process.env.BENCH_LIVE_WATCHERS ?? 30);
const MOVES = Number(process.env.BENCH_LIVE_MOVES ?? 10);
const INTERVAL_MS = Number(process.env.BENCH_LIVE_INTERVAL_MS ?? 3000);
const OPEN_PAGES = Number(process.env.BENCH_LIVE_PAGES ?? 300);

interface Watcher {
  messages: Array<{ at: number; current: number | null }>;
  close(): void;
  opened: Promise<void>;
}

/** One open live page: the event stream read as a browser's EventSource would. */
function watch(base: string, cookie: string, panelId: number): Watcher {
  const controller = new AbortController();
  const messages: Watcher["messages"] = [];
  let markOpen: () => void = () => {};
  const opened = new Promise<void>((resolve) => (markOpen = resolve));
  void (async () => {
    const response = await fetch(`${base}/panels/${panelId}/live/events`, { headers: { cookie }, signal: controller.signal });
    if (!response.ok || !response.body) throw new Error(`live events answered ${response.status}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split("\n")
          .filter((l) => l.startsWith("data: "))
          .map((l) => l.slice(6))
          .join("\n");
        if (!data) continue;
        const view = JSON.parse(data) as { current: { number: number } | null };
        messages.push({ at: performance.now(), current: view.current?.number ?? null });
        markOpen();
      }
    }
  })().catch(() => {});
  return { messages, opened, close: () => controller.abort() };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export async function benchLive(say: (line: string) => void = console.log) {
  const adminUrl = process.env.BENCH_DATABASE_URL;
  const database = adminUrl ? await scratchDatabase(adminUrl, "threshold_bench_live") : null;
  const databaseUrl = database?.url;
  const dataDir = database ? undefined : mkdtempSync(path.join(tmpdir(), "threshold-bench-live-"));
  const env: Record<string, string> = {
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir!, DATABASE_URL: "" }),
    NODE_ENV: "production",
    SESSION_SECRET: "bench-secret-bench-secret-bench",
    RUN_WORKER: "false",
    WEB_CONCURRENCY: "1",
  };
  const ports = [await freePort(), await freePort()];
  const instances: ChildProcess[] = [];
  try {
    // Seed, then start the panel from here (the embedded database has one owner at a time).
    let first = await startInstance({ ...env, SEED_DEMO: "always" }, { port: ports[0] });
    if (!databaseUrl) await stopInstance(first);
    const connection = await connectDatabase(databaseUrl ? { databaseUrl } : { dataDir });
    const panel = await startDemoPanelLive(connection.db);
    await connection.close();
    if (!databaseUrl) first = await startInstance({ ...env, SEED_DEMO: "never" }, { port: ports[0] });
    instances.push(first);
    if (databaseUrl) instances.push(await startInstance({ ...env, SEED_DEMO: "never" }, { port: ports[1] }));
    const bases = instances.map((_, i) => `http://127.0.0.1:${ports[i]}`);

    const chair = new HttpClient(bases[0]!);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const viewers = await Promise.all(
      bases.map(async (base) => ({ base, cookie: await signedInCookie(base, "earlyhelp.manager@example.org") })),
    );
    const watchers = Array.from({ length: WATCHERS }, (_, i) => viewers[i % viewers.length]!).map((v) => watch(v.base, v.cookie, panel.id));
    await Promise.all(watchers.map((w) => w.opened));
    const latencies: number[] = [];
    let missed = 0;
    for (let k = 0; k < MOVES; k++) {
      const move = k === 0 || k % 2 === 1 ? "next" : "back";
      const seen = watchers.map((w) => w.messages.length);
      const csrf = await chair.csrfFrom(`/panels/${panel.id}/meeting`);
      const sentAt = performance.now();
      const response = await chair.post(`/panels/${panel.id}/meeting`, { csrf, intent: "live", move });
      if (response.status !== 302) throw new Error(`the chair's move answered ${response.status}`);
      await new Promise((r) => setTimeout(r, Math.max(2000, INTERVAL_MS)));
      for (const [i, w] of watchers.entries()) {
        const arrived = w.messages.slice(seen[i]!);
        if (arrived.length) latencies.push(arrived[0]!.at - sentAt);
        else missed++;
      }
    }
    latencies.sort((a, b) => a - b);
    const p95 = percentile(latencies, 95);
    say(
      `Live panel: ${WATCHERS} watchers on ${instances.length} instance${instances.length > 1 ? "s" : ""} (${databaseUrl ? "PostgreSQL, changes crossing by LISTEN/NOTIFY" : "embedded"}), ${MOVES} chair moves:` +
        ` change reached watchers p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${latencies[latencies.length - 1]?.toFixed(0)} ms` +
        ` (target 2000 ms, p95/target ${(p95 / 2000).toFixed(2)}); missed ${missed} of ${WATCHERS * MOVES}`,
    );
    for (const w of watchers) w.close();

    // Memory: open pages on the first instance, RSS before and after.
    await new Promise((r) => setTimeout(r, 1500));
    const rss = () => processTree(instances[0]!.pid!).reduce((mb, pid) => mb + memoryMb(pid, "VmRSS"), 0);
    const before = rss();
    const open = Array.from({ length: OPEN_PAGES }, () => watch(bases[0]!, viewers[0]!.cookie, panel.id));
    await Promise.all(open.map((w) => w.opened));
    await new Promise((r) => setTimeout(r, 1500));
    const after = rss();
    const grew = after - before;
    say(
      `Live panel: ${OPEN_PAGES} open live pages on one instance: RSS ${before.toFixed(0)} MB → ${after.toFixed(0)} MB, +${grew.toFixed(1)} MB (target < 50 MB, ratio ${(grew / 50).toFixed(2)})`,
    );
    for (const w of open) w.close();
  } finally {
    await Promise.all(instances.map(stopInstance));
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("live.ts")) {
  benchLive().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
