import { connectDatabase } from "../db/connect";
import { migrateDown, migrateToLatest, pendingMigrations, rollbackLoss } from "../db/migrate";
import { DEMO_PASSWORD, seedDemo } from "../app/seed/demo";
import { seedDemoCases } from "../app/seed/demo-cases";
import { seedDemoHistory } from "../app/seed/demo-history";
import { refreshInsight } from "../app/services/insight.server";
import { scheduleLatestSnapshot } from "../app/services/insight-snapshot.server";
import { systemClock } from "../app/lib/clock";
import { hashPassword } from "../app/services/passwords.server";
import { loadConfig } from "../app/server/config";

/** npm run db:migrate | db:rollback | db:seed, on DATABASE_URL or the embedded database in DATA_DIR. */
async function main() {
  const command = process.argv[2];
  const config = loadConfig();
  const connection = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    if (command === "migrate" && process.argv.includes("--dry-run")) {
      const pending = await pendingMigrations(connection.db);
      console.log(pending.length ? `Would run:\n${pending.join("\n")}` : "Already up to date");
    } else if (command === "migrate") {
      const done = await migrateToLatest(connection.db);
      console.log(done.length ? done.join("\n") : "Already up to date");
    } else if (command === "rollback") {
      // Rolling back is for a release that went wrong, before anyone relied on it: what the
      // migration's columns and tables hold since is lost with them, so say so and stop.
      const { migration, losses } = await rollbackLoss(connection.db);
      if (losses.length && !process.argv.includes("--force")) {
        console.error(
          [
            `Not rolled back: undoing ${migration} would lose`,
            ...losses.map((loss) => `  - ${loss}`),
            "Export what you need first, or roll back anyway with: npm run db:rollback -- --force",
          ].join("\n"),
        );
        process.exitCode = 1;
        return;
      }
      if (losses.length) console.error(`Rolling back ${migration} and losing: ${losses.join("; ")}`);
      console.log((await migrateDown(connection.db)).join("\n") || "Nothing to roll back");
    } else if (command === "seed") {
      await migrateToLatest(connection.db);
      await seedDemo(connection.db, { passwordHash: await hashPassword(DEMO_PASSWORD), now: new Date() });
      const cases = await seedDemoCases(connection.db, new Date());
      const history = await seedDemoHistory(connection.db, new Date());
      await refreshInsight({ db: connection.db, clock: systemClock }, { full: true });
      await scheduleLatestSnapshot({ db: connection.db, clock: systemClock });
      console.log(
        `Demo users seeded (password: ${DEMO_PASSWORD}); ${cases} demo cases; ${history.cases} past cases on ${history.panels} past panels`,
      );
    } else {
      console.error("Usage: tsx scripts/db.ts migrate|rollback|seed");
      process.exitCode = 2;
    }
  } finally {
    await connection.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
