import { sql } from "kysely";
import type { Database } from "../connect";

/** Schedules a job in the caller's transaction. The key names it: scheduling it again does nothing. */
export async function scheduleJob(
  db: Database,
  job: { key: string; kind: string; payload: Record<string, unknown>; runAt: Date; at: Date },
) {
  await db
    .insertInto("jobs")
    .values({ key: job.key, kind: job.kind, payload: JSON.stringify(job.payload), run_at: job.runAt, created_at: job.at })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
}

/**
 * Takes the next due job for the rest of the caller's transaction. SKIP LOCKED
 * lets several workers take different jobs; the job is marked done in the same
 * transaction as its effects, so it runs exactly once.
 */
export function claimDueJob(db: Database, now: Date) {
  return db
    .selectFrom("jobs")
    .select(["id", "key", "kind", "payload", "attempts"])
    .where("status", "=", "pending")
    .where("run_at", "<=", now)
    .orderBy("run_at")
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

export async function markJobDone(db: Database, id: number, at: Date) {
  await db.updateTable("jobs").set({ status: "done", done_at: at }).where("id", "=", id).execute();
}

export async function markJobFailed(db: Database, id: number, error: string, retryAt: Date | null) {
  await db
    .updateTable("jobs")
    .set({
      attempts: sql`attempts + 1`,
      last_error: error.slice(0, 2000),
      ...(retryAt ? { run_at: retryAt } : { status: "failed" as const }),
    })
    .where("id", "=", id)
    .execute();
}

export function listJobs(db: Database, kind?: string) {
  let query = db.selectFrom("jobs").selectAll().orderBy("run_at");
  if (kind) query = query.where("kind", "=", kind);
  return query.execute();
}
