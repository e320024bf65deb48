import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { connectDatabase, type Connection } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { roleSecondFactorSettings } from "../services/second-factor.server";
import { DEMO_PASSWORD, hasAnyUsers, seedDemo } from "../seed/demo";
import { seedDemoCases } from "../seed/demo-cases";
import { seedDemoSchedules } from "../seed/demo-panels";
import { seedDemoHistory } from "../seed/demo-history";
import { refreshInsight } from "../services/insight.server";
import { scheduleLatestSnapshot } from "../services/insight-snapshot.server";
import { hashPassword } from "../services/passwords.server";
import type { Clock } from "../lib/clock";
import type { Config } from "./config";
import { log } from "./log";

const BUILD_ENTRY = path.resolve("build/index.js");

export async function loadBuild(): Promise<ServerBuild> {
  return (await import(pathToFileURL(BUILD_ENTRY).href)) as ServerBuild;
}

/** Connects, migrates and (on the embedded demo database) seeds. */
export async function openDatabase(config: Config, clock: Clock): Promise<Connection> {
  const connection = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrateToLatest(connection.db);
  if (applied.length) log("info", "migrated", { migrations: applied });
  const seed =
    config.seedDemo === "always" || (config.seedDemo === "auto" && connection.kind === "embedded" && !(await hasAnyUsers(connection.db)));
  if (seed) {
    await seedDemo(connection.db, { passwordHash: await hashPassword(DEMO_PASSWORD), now: clock.now() });
    await seedDemoSchedules(connection.db, clock.now());
    const cases = await seedDemoCases(connection.db, clock.now());
    const history = await seedDemoHistory(connection.db, clock.now());
    await refreshInsight({ db: connection.db, clock }, { full: true });
    await scheduleLatestSnapshot({ db: connection.db, clock });
    log("info", "seeded demo data", { cases, historyCases: history.cases, historyPanels: history.panels });
  }
  if (config.production) {
    // Said at every start: a role signing in with a password alone is a choice someone must own.
    const off = (await roleSecondFactorSettings({ db: connection.db, clock }, true)).filter((r) => !r.required).map((r) => r.role);
    if (off.length) log("warn", "two-factor authentication is off for some roles", { roles: off });
  }
  return connection;
}
