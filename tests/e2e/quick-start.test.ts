import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { HttpClient } from "../support/http-client";

const PORT = 3900 + Math.floor(Math.random() * 90);

function startApp(dataDir: string): ChildProcess {
  return spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "app/server/start.ts"], {
    env: { ...process.env, PORT: String(PORT), DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "info", NODE_ENV: "development" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function waitForHealthy(child: ChildProcess, started: number): Promise<number> {
  let exited = false;
  child.once("exit", () => (exited = true));
  while (Date.now() - started < 60_000) {
    if (exited) throw new Error("the app stopped during start-up");
    try {
      const response = await fetch(`http://127.0.0.1:${PORT}/healthz`);
      if (response.ok) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the app did not become healthy within 60 seconds");
}

function stop(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

describe("the quick start: npm start on a fresh data directory", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "threshold-quick-start-"));
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child) await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates, migrates and seeds the embedded database, serves the demo users, and restarts on the same data", async () => {
    child = startApp(dataDir);
    const firstStart = await waitForHealthy(child, Date.now());
    const client = new HttpClient(`http://127.0.0.1:${PORT}`);
    await client.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    expect(await (await client.get("/")).text()).toContain("Welcome, Chris Crewe");
    await stop(child);

    child = startApp(dataDir);
    const restart = await waitForHealthy(child, Date.now());
    const again = new HttpClient(`http://127.0.0.1:${PORT}`);
    await again.signIn("admin@example.org", DEMO_PASSWORD);
    // Seeding happens once: a restart keeps the same single set of demo users.
    const users = await (await again.get("/admin/users")).text();
    expect(users.match(/>chair\.crewe@example\.org<\/td>/g)).toHaveLength(1);
    // Timings are reported, not asserted: the suite runs files in parallel; `npm run bench` measures start-up.
    console.info(`quick start: first start ${firstStart} ms, restart ${restart} ms`);
  }, 120_000);
});
