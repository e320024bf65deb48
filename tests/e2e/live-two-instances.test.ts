import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type AddressInfo } from "node:net";
import pg from "pg";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, type Connection } from "../../db/connect";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { browserAvailable, launchBrowser, signedInPage } from "../support/browser";
import { startDemoPanelLive } from "../support/live";

/**
 * Two app instances on one PostgreSQL: the chair on one, a partner watching on
 * the other. The change reaches her through LISTEN/NOTIFY within 2 seconds.
 */
const adminUrl = process.env.TEST_DATABASE_URL;

/** A port nothing is listening on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe.skipIf(!adminUrl || !browserAvailable)("the live panel across two app instances on PostgreSQL", () => {
  const name = `threshold_live_${randomBytes(4).toString("hex")}`;
  const databaseUrl = adminUrl ? `${adminUrl.replace(/\/[^/]*$/, "")}/${name}` : "";
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  let connection: Connection;
  let browser: Browser;

  function start(port: number, seed: boolean) {
    const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "app/server/start.ts"], {
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        SEED_DEMO: seed ? "always" : "never",
        RUN_WORKER: "false",
        NODE_ENV: "development",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(child);
    return (async () => {
      const started = Date.now();
      while (Date.now() - started < 90_000) {
        if (child.exitCode !== null) throw new Error(`instance on ${port} stopped during start-up`);
        try {
          if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`instance on ${port} did not start`);
    })();
  }

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    ports.push(await freePort(), await freePort());
    // The first instance migrates and seeds; the second joins the same database.
    await start(ports[0]!, true);
    await start(ports[1]!, false);
    connection = await connectDatabase({ databaseUrl });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
    await connection?.close();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it("the chair moves on at one instance; the partner's page at the other follows within 2 seconds", async () => {
    const panel = await startDemoPanelLive(connection.db);
    const [a, b] = ports.map((port) => `http://127.0.0.1:${port}`);
    const chair = await signedInPage(browser, a!, "chair.crewe@example.org", DEMO_PASSWORD);
    await chair.goto(`${a}/panels/${panel.id}/meeting`);
    await chair.getByRole("button", { name: "Start the first item" }).click();
    await chair.waitForURL(/meeting/);
    const hana = await signedInPage(browser, b!, "partner.health@example.org", DEMO_PASSWORD);
    await hana.goto(`${b}/panels/${panel.id}/live`);
    await hana.getByText("This page updates by itself.").waitFor();
    expect(await hana.locator(".live-current h2").textContent()).toBe(`Now: Item 1 of ${panel.total}`);
    for (const n of [2, 3]) {
      const started = Date.now();
      await chair.getByRole("button", { name: "Next item", exact: true }).click();
      await hana.waitForFunction(
        (text) => document.querySelector(".live-current h2")?.textContent?.startsWith(text),
        n === 3 ? `Now: ${panel.references[2]}` : `Now: Item ${n} of ${panel.total}`,
        { timeout: 2000 },
      );
      expect(Date.now() - started).toBeLessThan(2000);
      await chair.waitForURL(/meeting/);
    }
  });
});
