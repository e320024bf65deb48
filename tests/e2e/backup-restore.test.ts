import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connectDatabase } from "../../db/connect";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { HttpClient } from "../support/http-client";
import { freePort, scratchDatabase, startInstance, stopInstance } from "../support/instances";

const adminUrl = process.env.TEST_DATABASE_URL;

/** `npm run <script>` with the environment given: its exit code and what it printed. */
function npmRun(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    const child = spawn("npm", ["run", "--silent", script, "--", ...args], { env: { ...process.env, ...env } });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}

type Target = { env: Record<string, string>; url?: string; dataDir?: string };

/**
 * A backup taken while people write, restored into a new database: the app
 * starts on it, the audit chain holds, and every write acknowledged before the
 * backup began is there. On the embedded database (the running app writes the
 * dump) and on PostgreSQL (pg_dump and pg_restore).
 */
describe.each([
  ["embedded", true],
  ["postgres", Boolean(adminUrl)],
] as const)("backup and restore (%s)", (backend, available) => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  async function newTarget(name: string): Promise<Target> {
    if (backend === "postgres") {
      const database = await scratchDatabase(adminUrl!, `restore_${name}`);
      cleanups.push(database.drop);
      return { env: { DATABASE_URL: database.url, DATA_DIR: "" }, url: database.url };
    }
    const dir = mkdtempSync(path.join(tmpdir(), `threshold-${name}-`));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dataDir = path.join(dir, "data");
    return { env: { DATA_DIR: dataDir, DATABASE_URL: "" }, dataDir };
  }

  it.skipIf(!available)(
    "restores a backup taken during writes into a new database with the audit chain intact and every acknowledged write",
    async () => {
      const source = await newTarget("source");
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      let instance: ChildProcess = await startInstance(
        { ...source.env, NODE_ENV: "development", SEED_DEMO: "always", WEB_CONCURRENCY: "1", LOG_LEVEL: "error" },
        { port },
      );
      const acknowledged: Array<{ id: number; at: number }> = [];
      let backupStarted = 0;
      const backupFile = path.join(mkdtempSync(path.join(tmpdir(), "threshold-backup-")), backend === "postgres" ? "b.dump" : "b.tar.gz");
      cleanups.push(() => rmSync(path.dirname(backupFile), { recursive: true, force: true }));
      try {
        // Two people starting requests as fast as the app answers (each a new draft, audited).
        let writing = true;
        const writer = async (email: string) => {
          const c = new HttpClient(base);
          await c.signIn(email, DEMO_PASSWORD);
          while (writing) {
            const answer = await c.submit("/requests/new", { kind: "step_up" });
            const id = /^\/requests\/(\d+)\//.exec(answer.headers.get("location") ?? "")?.[1];
            if (answer.status === 302 && id) acknowledged.push({ id: Number(id), at: Date.now() });
          }
        };
        const writers = [writer("referrer@example.org"), writer("earlyhelp@example.org")];
        await new Promise((r) => setTimeout(r, 1500));
        backupStarted = Date.now();
        const backup = await npmRun("backup", [backupFile], source.env);
        expect(backup.output).toContain("Backup written to");
        expect(backup.code).toBe(0);
        await new Promise((r) => setTimeout(r, 500));
        writing = false;
        await Promise.all(writers);
      } finally {
        await stopInstance(instance);
      }
      const before = acknowledged.filter((a) => a.at < backupStarted);
      expect(before.length).toBeGreaterThan(5);
      expect(acknowledged.length).toBeGreaterThan(before.length);

      // Into a new database: the app starts on it and people sign in.
      const target = await newTarget("target");
      const restored = await npmRun("restore", [backupFile], target.env);
      expect(restored.output).toContain("Restored from");
      expect(restored.code).toBe(0);
      instance = await startInstance({ ...target.env, NODE_ENV: "development", SEED_DEMO: "never", LOG_LEVEL: "error" }, { port });
      try {
        expect((await fetch(`${base}/readyz`)).status).toBe(200);
        const c = new HttpClient(base);
        await c.signIn("referrer@example.org", DEMO_PASSWORD);
      } finally {
        await stopInstance(instance);
      }
      const verified = await npmRun("audit:verify", [], target.env);
      expect(verified.output).toContain("Audit chain holds");
      expect(verified.code).toBe(0);

      const connection = await connectDatabase({ databaseUrl: target.url, dataDir: target.dataDir });
      try {
        const present = new Set(
          (
            await connection.db
              .selectFrom("requests")
              .select("id")
              .where(
                "id",
                "in",
                acknowledged.map((a) => a.id),
              )
              .execute()
          ).map((r) => r.id),
        );
        const missing = before.filter((a) => !present.has(a.id));
        console.log(
          `${backend}: ${acknowledged.length} writes acknowledged, ${before.length} before the backup began, ${missing.length} of those missing after restore; ${present.size} restored in all`,
        );
        expect(missing).toEqual([]);
      } finally {
        await connection.close();
      }
    },
    300_000,
  );
});
