import { sql } from "kysely";
import { forgetOldHeartbeats, operationsFigures } from "../../db/queries/operations";
import type { Deps } from "../lib/context";

/** A worker silent for longer than this is reported as stopped. */
const WORKER_SILENT_SECONDS = 60;
/** Emails waiting longer than this mean delivery is stuck (the status page and the administrators' warning). */
const BACKLOG_STUCK_SECONDS = 10 * 60;
/** A due job not run this long after its time is late. */
const JOB_LATE_SECONDS = 5 * 60;
/** An audit row waiting this long to be sealed into the chain means no worker is sealing (ADR 030). */
const AUDIT_UNSEALED_SECONDS = 60;

const secondsSince = (now: Date, then: Date | string | null) =>
  then ? Math.max(0, Math.round((now.getTime() - new Date(then).getTime()) / 1000)) : null;

/**
 * What is wrong with email delivery now, in words: emails the mail relay refused
 * at their last attempt (being retried), an email waiting too long, emails failed for good.
 */
export function outboxProblems(outbox: { retrying: number; failed: number; oldest_pending: Date | string | null }, now: Date): string[] {
  const oldestPending = secondsSince(now, outbox.oldest_pending);
  const problems: string[] = [];
  if (outbox.retrying > 0) problems.push(`${outbox.retrying} emails could not be sent at their last attempt and are being retried`);
  if (oldestPending !== null && oldestPending > BACKLOG_STUCK_SECONDS)
    problems.push(`the oldest email has waited ${oldestPending} seconds`);
  if (outbox.failed > 0) problems.push(`${outbox.failed} emails failed for good`);
  return problems;
}

/**
 * Readiness: whether this process can reach its database now, answered
 * within two seconds, with the reason when it cannot.
 */
export async function readiness(deps: Pick<Deps, "db">): Promise<{ ready: true } | { ready: false; reason: string; error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1`.execute(deps.db),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("no answer within 2 seconds")), 2000);
      }),
    ]);
    return { ready: true };
  } catch (error) {
    // The address, user or server's words are for the log, not the answer: anyone can ask /readyz.
    return { ready: false, reason: "database: cannot be reached", error };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The operators' status: the email backlog and its oldest, failed emails,
 * the last delivery, each worker's last beat, due jobs that are late, and
 * audit rows not yet sealed into the chain, with a verdict and the problems behind it. Counts and ages only: no
 * addresses, subjects or case references.
 */
export async function operationsStatus(deps: Deps) {
  const now = deps.clock.now();
  const figures = await operationsFigures(deps.db, now, new Date(now.getTime() - JOB_LATE_SECONDS * 1000));
  const oldestPending = secondsSince(now, figures.outbox.oldest_pending);
  const workers = figures.workers.map((w) => ({ host: w.host, pid: w.pid, lastBeatSecondsAgo: secondsSince(now, w.beat_at)! }));
  const problems: string[] = [];
  if (!workers.some((w) => w.lastBeatSecondsAgo <= WORKER_SILENT_SECONDS))
    problems.push("no worker has been heard from in the last minute");
  problems.push(...outboxProblems(figures.outbox, now));
  if (figures.jobs.late > 0) problems.push(`${figures.jobs.late} due jobs are late`);
  const oldestUnsealed = secondsSince(now, figures.audit.oldest_unsealed);
  if (oldestUnsealed !== null && oldestUnsealed > AUDIT_UNSEALED_SECONDS)
    problems.push(`audit rows have waited ${oldestUnsealed} seconds to be sealed into the chain`);
  return {
    status: problems.length ? ("degraded" as const) : ("ok" as const),
    problems,
    outbox: {
      pending: figures.outbox.pending,
      retrying: figures.outbox.retrying,
      failed: figures.outbox.failed,
      oldestPendingSeconds: oldestPending,
      lastDeliveredAt: figures.outbox.last_sent ? new Date(figures.outbox.last_sent).toISOString() : null,
    },
    workers,
    jobs: { late: figures.jobs.late, oldestDueSeconds: secondsSince(now, figures.jobs.oldest_due) },
    audit: { unsealed: figures.audit.unsealed, oldestUnsealedSeconds: oldestUnsealed },
    at: now.toISOString(),
  };
}

/** Forgets workers not heard from for a day (each restart leaves a row). */
export async function tidyHeartbeats(deps: Deps) {
  await forgetOldHeartbeats(deps.db, new Date(deps.clock.now().getTime() - 24 * 60 * 60_000));
}
