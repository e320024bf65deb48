import type { ChildProcess } from "node:child_process";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, type Connection } from "../../db/connect";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { browserAvailable, launchBrowser, signedInPage } from "../support/browser";
import { freePort, scratchDatabase, startInstance, stopInstance } from "../support/instances";
import { startDemoPanelLive } from "../support/live";

/**
 * Two app instances on one PostgreSQL: the chair on one, a partner watching on
 * the other. The change reaches her through LISTEN/NOTIFY within 2 seconds.
 */
const adminUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!adminUrl || !browserAvailable)("the live panel across two app instances on PostgreSQL", () => {
  const instances: ChildProcess[] = [];
  const bases: string[] = [];
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let connection: Connection;
  let browser: Browser;

  beforeAll(async () => {
    database = await scratchDatabase(adminUrl!, "threshold_live");
    const env = { DATABASE_URL: database.url, RUN_WORKER: "false", NODE_ENV: "development", WEB_CONCURRENCY: "1" };
    // The first instance migrates and seeds; the second joins the same database.
    for (const seed of ["always", "never"]) {
      const port = await freePort();
      instances.push(await startInstance({ ...env, SEED_DEMO: seed }, { port }));
      bases.push(`http://127.0.0.1:${port}`);
    }
    connection = await connectDatabase({ databaseUrl: database.url });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(instances.map(stopInstance));
    await connection?.close();
    await database?.drop();
  });

  it("the chair moves on at one instance; the partner's page at the other follows within 2 seconds", async () => {
    const panel = await startDemoPanelLive(connection.db);
    const [a, b] = bases;
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
