import { createTransport } from "../../emails/transport";
import { startWorker } from "../../emails/worker";
import { runHousekeeping } from "../services/housekeeping.server";
import { systemClock } from "../lib/clock";
import { createApp } from "./app";
import { buildIfNeeded, loadBuild, openDatabase } from "./boot";
import { ConfigError, loadConfig } from "./config";
import { log } from "./log";
import { startLiveListener } from "./live-listener";

async function main() {
  const config = loadConfig();
  buildIfNeeded();
  const connection = await openDatabase(config, systemClock);
  const build = await loadBuild();
  const app = createApp({ config, db: connection.db, clock: systemClock, build });
  // Live pages follow changes made by other instances on the same PostgreSQL.
  const listener = config.databaseUrl ? startLiveListener(config.databaseUrl) : null;

  // The outbox worker runs beside the web server unless RUN_WORKER=false (then run `npm run worker`).
  const worker = config.runWorker
    ? startWorker({ db: connection.db, clock: systemClock }, createTransport({ smtpUrl: config.smtpUrl, from: config.mailFrom }), {
        log,
        housekeeping: () =>
          runHousekeeping({
            db: connection.db,
            clock: systemClock,
            settings: { appUrl: config.appUrl, challengeStageDays: config.challengeStageDays, retentionYears: config.retentionYears },
          }),
      })
    : null;

  const server = app.listen(config.port, () => {
    log("info", "listening", {
      url: `http://localhost:${config.port}`,
      database: connection.kind,
      startupMs: Math.round(process.uptime() * 1000),
    });
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log("info", "stopping", { signal });
    server.close();
    server.closeAllConnections();
    await worker?.stop();
    await listener?.stop();
    // The embedded database must close cleanly to keep its data directory sound.
    await connection.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    log("error", "failed to start", { error: error instanceof Error ? error.stack : String(error) });
  }
  process.exit(1);
});
