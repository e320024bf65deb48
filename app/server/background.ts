import type { Database } from "../../db/connect";
import { createTransport } from "../../emails/transport";
import { startWorker } from "../../emails/worker";
import { runHousekeeping } from "../services/housekeeping.server";
import { sealAuditChain } from "../../db/queries/audit";
import { systemClock } from "../lib/clock";
import type { Config } from "./config";
import { log } from "./log";
import { countDeliveries, enableMetrics } from "./metrics";

/**
 * The background worker: the email outbox, the audit rows written since its
 * last pass sealed into the chain (within a second or so), and every minute
 * the timed work (panels generated ahead, cut-offs, reminders, challenge
 * timers, the Monday snapshot, the insight refresh). Inside `npm start` or
 * on its own as `npm run worker`; several at once are safe.
 */
export function startBackgroundWorker(config: Config, connection: { db: Database }) {
  const transport = createTransport({ smtpUrl: config.smtpUrl, from: config.mailFrom });
  if (config.metricsToken) enableMetrics();
  const worker = startWorker({ db: connection.db, clock: systemClock }, transport, {
    log,
    onDelivered: countDeliveries,
    eachPass: () => sealAuditChain(connection.db),
    housekeeping: () =>
      runHousekeeping({
        db: connection.db,
        clock: systemClock,
        settings: { appUrl: config.appUrl, challengeStageDays: config.challengeStageDays, retentionYears: config.retentionYears },
      }),
  });
  return { transport: transport.name, stop: () => worker.stop() };
}
