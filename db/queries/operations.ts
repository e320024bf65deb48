import { sql } from "kysely";
import type { Database } from "../connect";

/** A worker's sign of life: one row per worker, replaced at each beat. */
export function recordHeartbeat(db: Database, beat: { workerId: string; host: string; pid: number; startedAt: Date; at: Date }) {
  return db
    .insertInto("worker_heartbeats")
    .values({ worker_id: beat.workerId, host: beat.host, pid: beat.pid, started_at: beat.startedAt, beat_at: beat.at })
    .onConflict((oc) => oc.column("worker_id").doUpdateSet({ beat_at: beat.at }))
    .execute();
}

/** Workers not heard from for a day are forgotten (restarts leave rows behind). */
export function forgetOldHeartbeats(db: Database, before: Date) {
  return db.deleteFrom("worker_heartbeats").where("beat_at", "<", before).execute();
}

/**
 * The email backlog in one query: waiting (or being sent), of those the ones
 * whose last attempt failed, failed for good, the oldest waiting, the last delivered.
 */
export function outboxFigures(db: Database) {
  return db
    .selectFrom("outbox")
    .select([
      sql<number>`count(*) filter (where status in ('pending', 'sending'))::int`.as("pending"),
      sql<number>`count(*) filter (where status in ('pending', 'sending') and last_error is not null)::int`.as("retrying"),
      sql<number>`count(*) filter (where status = 'failed')::int`.as("failed"),
      sql<Date | null>`min(created_at) filter (where status in ('pending', 'sending'))`.as("oldest_pending"),
      sql<Date | null>`max(sent_at)`.as("last_sent"),
    ])
    .executeTakeFirstOrThrow();
}

/**
 * What an operator needs to know, in three queries: the email backlog (see
 * `outboxFigures`); the workers' last beats; due jobs not yet run.
 */
export async function operationsFigures(db: Database, now: Date, jobsLateAfter: Date) {
  const [outbox, workers, jobs, audit] = await Promise.all([
    outboxFigures(db),
    db.selectFrom("worker_heartbeats").select(["worker_id", "host", "pid", "started_at", "beat_at"]).orderBy("beat_at", "desc").execute(),
    db
      .selectFrom("jobs")
      .select([sql<number>`count(*)::int`.as("late"), sql<Date | null>`min(run_at)`.as("oldest_due")])
      .where("status", "=", "pending")
      .where("run_at", "<", jobsLateAfter)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("audit_events")
      .select([sql<number>`count(*)::int`.as("unsealed"), sql<Date | null>`min(at)`.as("oldest_unsealed")])
      .where("seq", "is", null)
      .executeTakeFirstOrThrow(),
  ]);
  return { now, outbox, workers, jobs, audit };
}
