import { connectDatabase } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { startBackgroundWorker } from "./background";
import { ConfigError, loadConfig } from "./config";
import { log } from "./log";

/** `npm run worker`: the outbox worker on its own, for deployments with several app instances. */
async function main() {
  const config = loadConfig();
  const connection = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrateToLatest(connection.db);
  const worker = startBackgroundWorker(config, connection);
  log("info", "worker started", { transport: worker.transport, database: connection.kind });
  const stop = async () => {
    await worker.stop();
    await connection.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

main().catch((error) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
