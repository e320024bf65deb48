import cluster from "node:cluster";
import type { Server } from "node:http";
import { connectDatabase, type Connection } from "../../db/connect";
import { startBackgroundWorker } from "./background";
import { answerBackupRequests } from "./backup";
import { systemClock } from "../lib/clock";
import { createApp } from "./app";
import { loadBuild, openDatabase } from "./boot";
import { ConfigError, loadConfig, type Config } from "./config";
import { log } from "./log";
import { startLiveListener } from "./live-listener";
import { answerPrimaryForMetrics, gatherMetricsForWebProcesses } from "./metrics";

/**
 * `npm start`. On the embedded database, or with WEB_CONCURRENCY=1, one process
 * migrates, seeds, serves and runs the background worker. On PostgreSQL with
 * more than one web process, the primary migrates and seeds once, runs the
 * background worker (outbox, timers, panel generation) unless RUN_WORKER=false,
 * and keeps WEB_CONCURRENCY web processes serving the one port (Node's cluster
 * module), replacing any that stop.
 */
async function main() {
  const config = loadConfig();
  if (cluster.isWorker) return serveWeb(config, await connectDatabase({ databaseUrl: config.databaseUrl }));
  if (!config.databaseUrl && (config.webConcurrencyAsked ?? 1) > 1) {
    log("info", "the embedded database serves one web process: WEB_CONCURRENCY applies on PostgreSQL only", {
      webConcurrency: config.webConcurrencyAsked,
    });
  }
  const connection = await openDatabase(config, systemClock);
  const worker = config.runWorker ? startBackgroundWorker(config, connection) : null;
  // `npm run backup` asks the app holding the embedded database for a dump.
  const stopBackups = config.databaseUrl ? null : answerBackupRequests(config.dataDir, connection);
  if (config.webConcurrency === 1) {
    const web = await serveWeb(config, connection, { ownsConnection: false });
    onStop(async () => {
      await web.close();
      await worker?.stop();
      stopBackups?.();
      // The embedded database must close cleanly to keep its data directory sound.
      await connection.close();
    });
    return;
  }
  superviseWebProcesses(config, async () => {
    await worker?.stop();
    await connection.close();
  });
}

/** One web process: the app on the shared port, and (on PostgreSQL) a listener for other instances' live changes. */
async function serveWeb(config: Config, connection: Connection, options: { ownsConnection?: boolean } = {}) {
  const build = await loadBuild();
  const app = createApp({ config, db: connection.db, clock: systemClock, build, connection });
  if (cluster.isWorker && config.metricsToken) answerPrimaryForMetrics();
  const listener = config.databaseUrl ? startLiveListener(config.databaseUrl) : null;
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.port, () => resolve(s));
  });
  if (!cluster.isWorker) {
    log("info", "listening", {
      url: `http://localhost:${config.port}`,
      database: connection.kind,
      webProcesses: 1,
      startupMs: Math.round(process.uptime() * 1000),
    });
  }
  const close = async () => {
    server.close();
    server.closeAllConnections();
    await listener?.stop();
    if (options.ownsConnection !== false) await connection.close();
  };
  if (cluster.isWorker) onStop(close);
  return { close };
}

function superviseWebProcesses(config: Config, stopRest: () => Promise<void>) {
  let stopping = false;
  let listening = 0;
  const started = Date.now();
  const fork = () => cluster.fork();
  if (config.metricsToken) gatherMetricsForWebProcesses();
  cluster.on("listening", () => {
    listening++;
    if (listening === config.webConcurrency) {
      log("info", "listening", {
        url: `http://localhost:${config.port}`,
        database: "postgres",
        webProcesses: config.webConcurrency,
        startupMs: Math.round(process.uptime() * 1000),
      });
    }
  });
  cluster.on("exit", (child, code, signal) => {
    if (stopping) return;
    log("error", "a web process stopped; starting another", { pid: child.process.pid, code, signal });
    // A process that dies at once every time is not restarted in a tight loop.
    setTimeout(fork, Date.now() - started < 10_000 ? 1000 : 0);
  });
  for (let i = 0; i < config.webConcurrency; i++) fork();
  onStop(async () => {
    stopping = true;
    const children = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.isDead()) return resolve();
            child.once("exit", () => resolve());
            child.process.kill("SIGTERM");
          }),
      ),
    );
    await stopRest();
  });
}

function onStop(stop: () => Promise<void>) {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!cluster.isWorker) log("info", "stopping", { signal });
    stop()
      .catch((error: unknown) => log("error", "stopping failed", { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => process.exit(0));
  };
  process.on("SIGTERM", () => handler("SIGTERM"));
  process.on("SIGINT", () => handler("SIGINT"));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    log("error", "failed to start", { error: error instanceof Error ? error.stack : String(error) });
  }
  process.exit(1);
});
