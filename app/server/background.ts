import type { Connection } from "../../db/connect";
import { createTransport } from "../../emails/transport";
import { startWorker } from "../../emails/worker";
import { runHousekeeping } from "../services/housekeeping.server";
import { systemClock } from "../lib/clock";
import type { Config } from "./config";
import { log } from "./log";
import { countDeliveries, enableMetrics } from "./metrics";

/**
 * The background worker: the email outbox, and on each pass the timed work
 * (panels generated ahead, cut-offs, reminders, challenge timers, the Monday
 * snapshot, the insight refresh). Inside `npm start` or on its own as
 * `npm run worker`; several at once are safe.
 */
export function startBackgroundWorker(config: Config, connection: Connection) {
  const transport = createTransport({ smtpUrl: config.smtpUrl, from: config.mailFrom });
  if (config.metricsToken) enableMetrics();
  const worker = startWorker({ db: connection.db, clock: systemClock }, transport, {
    log,
    onDelivered: countDeliveries,
    housekeeping: () =>
      runHousekeeping({
        db: connection.db,
        clock: systemClock,
        settings: { appUrl: config.appUrl, challengeStageDays: config.challengeStageDays, retentionYears: config.retentionYears },
      }),
  });
  return { transport: transport.name, stop: () => worker.stop() };
}
