import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import type { Clock } from "../../app/lib/clock";
import type { Database } from "../../db/connect";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { launchBrowser, signedInPage } from "./browser";
import { systemClock } from "../../app/lib/clock";
import { seedDemoCases } from "../../app/seed/demo-cases";
import { seedDemoSchedules } from "../../app/seed/demo-panels";
import { seedDemoHistory } from "../../app/seed/demo-history";
import { refreshInsight } from "../../app/services/insight.server";
import { openTestDatabase, type Backend, type TestDatabase } from "./database";
import { seedDemoUsers, startTestServer, type TestServer } from "./server";

/**
 * What every browser suite needs: an embedded database with the demo users,
 * the real server on it, and Chromium; all closed after the suite.
 */
export function useBrowserSuite(options: { clock?: Clock; demo?: boolean; history?: boolean; backend?: Backend } = {}) {
  const suite = {} as { db: Database; url: string; browser: Browser; as(email: string): Promise<Page> };
  let database: TestDatabase | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    database = await openTestDatabase(options.backend ?? "embedded");
    await seedDemoUsers(database.db);
    if (options.demo) {
      // The whole demo: schedules, panels (past and coming), cases, decisions and a challenge.
      const now = (options.clock ?? systemClock).now();
      await seedDemoSchedules(database.db, now);
      await seedDemoCases(database.db, now);
      if (options.history) {
        // Two years of past panels, and the insight figures made from them, as the demo start does.
        await seedDemoHistory(database.db, now);
        await refreshInsight({ db: database.db, clock: options.clock ?? systemClock }, { full: true });
      }
    }
    server = await startTestServer(database.db, options);
    suite.db = database.db;
    suite.url = server.url;
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await server?.close();
    await database?.close();
  });
  suite.as = (email: string) => signedInPage(suite.browser, suite.url, email, DEMO_PASSWORD);
  return suite;
}
