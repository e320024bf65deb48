import type { ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, processTree, signedInCookie, startInstance, stopInstance } from "../support/instances";
import { canRunOwnCluster, startOwnCluster } from "../support/pg-cluster";

/**
 * A database hiccup under load, on `npm start` with two web processes and the
 * worker: every connection the app holds is terminated, again and again, and
 * then PostgreSQL itself is restarted. What is in flight may be answered 503
 * ("unavailable for a moment"); nothing is answered 500, no process exits,
 * and the service answers again within 10 seconds of the server's return.
 */
describe.skipIf(!canRunOwnCluster)("a database hiccup under load", () => {
  let cluster: ReturnType<typeof startOwnCluster>;
  let instance: ChildProcess;
  let base = "";
  let cookie = "";

  beforeAll(async () => {
    cluster = startOwnCluster(await freePort());
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    instance = await startInstance(
      { DATABASE_URL: cluster.url, NODE_ENV: "development", WEB_CONCURRENCY: "2", SEED_DEMO: "always", LOG_LEVEL: "error" },
      { port },
    );
    cookie = await signedInCookie(base, "chair.crewe@example.org");
  }, 180_000);

  afterAll(async () => {
    if (instance) await stopInstance(instance);
    cluster?.stop();
  });

  /** One GET on a connection of its own: its status, or 0 when nothing answered. */
  function status(path: string, withCookie: boolean): Promise<number> {
    return new Promise((resolve) => {
      const req = httpRequest(`${base}${path}`, { agent: false, headers: withCookie ? { cookie } : {} }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      });
      req.on("error", () => resolve(0));
      req.setTimeout(15_000, () => req.destroy());
      req.end();
    });
  }

  async function terminateAppConnections() {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    const { rowCount } = await admin.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()",
    );
    await admin.end();
    return rowCount ?? 0;
  }

  /** Milliseconds until /readyz says the database is reachable again. */
  async function untilHealthy(withinMs: number): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < withinMs) {
      if ((await status("/readyz", false)) === 200) return Date.now() - started;
      await new Promise((r) => setTimeout(r, 100));
    }
    return Infinity;
  }

  it("answers 503 at worst while connections are cut and PostgreSQL restarts, keeps every process, and is back within 10 seconds", async () => {
    const processes = processTree(instance.pid!);
    expect(processes).toHaveLength(3); // the primary (migrations, worker) and two web processes

    const statuses = new Map<number, number>();
    let loading = true;
    const load = async (path: string, withCookie: boolean) => {
      while (loading) {
        const answered = await status(path, withCookie);
        statuses.set(answered, (statuses.get(answered) ?? 0) + 1);
        if (answered === 0) await new Promise((r) => setTimeout(r, 50));
      }
    };
    const loaders = [
      load("/", true),
      load("/panels", true),
      load("/actions", true),
      load("/readyz", false),
      load("/sign-in", false),
      load("/", true),
    ];

    let terminated = 0;
    for (let round = 0; round < 8; round++) {
      await new Promise((r) => setTimeout(r, 400));
      terminated += await terminateAppConnections();
    }
    await new Promise((r) => setTimeout(r, 400));
    cluster.restart();
    const backAfterMs = await untilHealthy(10_000);
    await new Promise((r) => setTimeout(r, 1000));
    loading = false;
    await Promise.all(loaders);

    const summary = Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
    process.stdout.write(
      `database faults: ${terminated} connections terminated, a restart; back ${backAfterMs} ms after it; answers ${JSON.stringify(summary)}\n`,
    );
    expect(terminated).toBeGreaterThan(0);
    expect(backAfterMs).toBeLessThan(10_000);
    expect(statuses.get(500) ?? 0).toBe(0);
    expect(statuses.get(0) ?? 0).toBe(0); // no connection dropped unanswered (a process dying would)
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(processTree(instance.pid!)).toEqual(processes);
    expect(instance.exitCode).toBeNull();

    // Afterwards everything works as before, with the same session.
    expect(await status("/", true)).toBe(200);
    expect(await status("/panels", true)).toBe(200);
  }, 120_000);
});
