import { connectDatabase } from "../db/connect";
import { findFirstBrokenAuditRow } from "../db/queries/audit";
import { loadConfig } from "../app/server/config";

/** npm run audit:verify: walks the audit chain, sealed rows and those not yet sealed, and names the first broken row (exit 1), or says it holds. */
async function main() {
  const config = loadConfig();
  const connection = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const { rows, unsealed, broken } = await findFirstBrokenAuditRow(connection.db);
    if (broken) {
      console.error(`Audit chain broken at row ${broken.id} (position ${broken.seq}): ${broken.problem}. ${rows} rows checked.`);
      process.exitCode = 1;
    } else {
      console.log(
        `Audit chain holds: ${rows} rows, ${rows - unsealed} sealed (each hash matching its content and the row before)` +
          ` and ${unsealed} not yet sealed (each matching the hash it was written with).`,
      );
    }
  } finally {
    await connection.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
