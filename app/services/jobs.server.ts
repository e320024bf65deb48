import type { Database } from "../../db/connect";
import { claimDueJob, markJobDone, markJobFailed } from "../../db/queries/jobs";
import type { Deps } from "../lib/context";

export type JobHandler = (trx: Database, deps: Deps, payload: Record<string, unknown>) => Promise<void>;

const MAX_ATTEMPTS = 5;

/**
 * Runs due jobs, each in its own transaction with its effects (emails go to the
 * outbox in that transaction). A failing job is retried with backoff, then
 * marked failed. Returns how many ran.
 */
export async function runDueJobs(deps: Deps, handlers: Record<string, JobHandler>, limit = 50) {
  let ran = 0;
  for (let i = 0; i < limit; i++) {
    const now = deps.clock.now();
    let failed: { id: number; attempts: number; error: string } | null = null;
    const found = await deps.db
      .transaction()
      .execute(async (trx) => {
        const job = await claimDueJob(trx, now);
        if (!job) return false;
        const handler = handlers[job.kind];
        if (!handler) {
          failed = { id: job.id, attempts: MAX_ATTEMPTS, error: `no handler for ${job.kind}` };
          return true;
        }
        try {
          await handler(trx, deps, job.payload);
        } catch (error) {
          failed = { id: job.id, attempts: job.attempts + 1, error: error instanceof Error ? error.message : String(error) };
          throw error;
        }
        await markJobDone(trx, job.id, now);
        return true;
      })
      .catch((error) => {
        if (!failed) throw error;
        return true;
      });
    if (!found) break;
    if (failed) {
      const f = failed as { id: number; attempts: number; error: string };
      const retryAt = f.attempts >= MAX_ATTEMPTS ? null : new Date(now.getTime() + 60_000 * 2 ** f.attempts);
      await markJobFailed(deps.db, f.id, f.error, retryAt);
    } else {
      ran++;
    }
  }
  return ran;
}
