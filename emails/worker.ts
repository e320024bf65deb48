import type { Database } from "../db/connect";
import { describeError } from "../app/lib/describe-error";
import { claimDueEmails, extendLease, markFailedAttempt, markSent } from "../db/queries/outbox";
import { recordHeartbeat } from "../db/queries/operations";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Clock } from "../app/lib/clock";
import type { Transport } from "./transport";

export const MAX_ATTEMPTS = 8;
/**
 * How long a claim on an email lasts without renewal. A worker renews its claims every third of
 * this while it sends, so a slow send keeps them; a worker that dies gives them back within it.
 */
export const LEASE_MS = 45_000;

/** 30 s, 1 min, 2 min … capped at an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);
}

export interface DeliveryResult {
  sent: number;
  failed: number;
}

/** Claims a batch of due emails and sends them; failures are retried later with backoff. */
export async function deliverDueEmails(
  deps: { db: Database; clock: Clock },
  transport: Transport,
  options: { batchSize?: number; onError?: (id: number, error: unknown) => void; leaseMs?: number } = {},
): Promise<DeliveryResult> {
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const claimed = await claimDueEmails(deps.db, deps.clock.now(), options.batchSize ?? 50, leaseMs);
  const result: DeliveryResult = { sent: 0, failed: 0 };
  if (!claimed.length) return result;
  const inFlight = new Set(claimed.map((e) => e.id));
  const renew = setInterval(() => {
    void extendLease(deps.db, [...inFlight], new Date(deps.clock.now().getTime() + leaseMs)).catch(() => {});
  }, leaseMs / 3);
  try {
    await deliverClaimed(deps, transport, claimed, inFlight, result, options.onError);
  } finally {
    clearInterval(renew);
  }
  return result;
}

async function deliverClaimed(
  deps: { db: Database; clock: Clock },
  transport: Transport,
  claimed: Awaited<ReturnType<typeof claimDueEmails>>,
  inFlight: Set<number>,
  result: DeliveryResult,
  onError?: (id: number, error: unknown) => void,
) {
  // Every send is seen through before the claim renewal stops, whatever happens to the others.
  const outcomes = await Promise.allSettled(
    claimed.map(async (email) => {
      try {
        await transport.send(email);
      } catch (error) {
        result.failed++;
        inFlight.delete(email.id);
        onError?.(email.id, error);
        const next = email.attempts >= MAX_ATTEMPTS ? null : new Date(deps.clock.now().getTime() + backoffMs(email.attempts));
        // If this cannot be recorded the claim lapses and the email, never sent, is tried again.
        await markFailedAttempt(deps.db, email.id, error instanceof Error ? error.message : String(error), next);
        return;
      }
      // Sent: record it, holding the claim meanwhile (the database may be back in a moment), so nobody sends it again.
      try {
        await untilDone(() => markSent(deps.db, email.id, deps.clock.now(), transport.name));
        result.sent++;
      } finally {
        inFlight.delete(email.id);
      }
    }),
  );
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (failed) throw failed.reason;
}

/** Tries a write up to six times over about half a minute (0.5, 1, 2, 4, 8, 16 s apart), then gives up with its error. */
async function untilDone(write: () => Promise<unknown>) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
    }
  }
}

/** Delivers until stopped: straight on while there is work, then polls. */
export function startWorker(
  deps: { db: Database; clock: Clock },
  transport: Transport,
  options: {
    pollMs?: number;
    log?: (level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;
    /** Other timed work on the same worker (panel generation, agenda cut-offs), run every `housekeepingMs`. */
    housekeeping?: () => Promise<unknown>;
    housekeepingMs?: number;
    /** Quick work done on every pass, at most a poll apart (sealing the audit chain). */
    eachPass?: () => Promise<unknown>;
    heartbeatMs?: number;
    /** Told what each pass sent and what the relay refused (for the metrics). */
    onDelivered?: (result: DeliveryResult) => void;
  } = {},
) {
  let stopped = false;
  let wake: (() => void) | null = null;
  let lastHousekeeping = 0;
  let lastBeat = 0;
  const identity = { workerId: randomUUID(), host: hostname(), pid: process.pid, startedAt: deps.clock.now() };
  const loop = (async () => {
    while (!stopped) {
      // A sign of life every 10 seconds, for the operators' status page.
      if (Date.now() - lastBeat >= (options.heartbeatMs ?? 10_000)) {
        lastBeat = Date.now();
        await recordHeartbeat(deps.db, { ...identity, at: deps.clock.now() }).catch((error: unknown) =>
          options.log?.("warn", "worker heartbeat failed", describeError(error)),
        );
      }
      if (options.housekeeping && Date.now() - lastHousekeeping >= (options.housekeepingMs ?? 60_000)) {
        lastHousekeeping = Date.now();
        try {
          await options.housekeeping();
        } catch (error) {
          options.log?.("error", "housekeeping failed", describeError(error));
        }
      }
      if (options.eachPass) {
        await options.eachPass().catch((error: unknown) => options.log?.("error", "worker pass failed", describeError(error)));
      }
      let delivered: DeliveryResult = { sent: 0, failed: 0 };
      try {
        delivered = await deliverDueEmails(deps, transport, {
          onError: (id, error) => options.log?.("warn", "email delivery failed", { outboxId: id, ...describeError(error) }),
        });
        if (delivered.sent) options.log?.("info", "emails delivered", { count: delivered.sent });
        options.onDelivered?.(delivered);
      } catch (error) {
        options.log?.("error", "outbox worker error", describeError(error));
      }
      if (delivered.sent + delivered.failed === 0 && !stopped) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, options.pollMs ?? 1000);
        });
        wake = null;
      }
    }
  })();
  return {
    /** Nudges the worker to look now rather than at the next poll. */
    poke: () => wake?.(),
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      transport.close();
    },
  };
}
