import { insertAuditEvent } from "../../db/queries/audit";
import { listUndelivered, retryFailed } from "../../db/queries/outbox";
import { operationsFigures } from "../../db/queries/operations";
import type { Actor, Deps } from "../lib/context";
import { deliveryErrorClass } from "../lib/email-errors";
import { may } from "../lib/policy";
import { recordRead } from "./audit-trail.server";
import { forbidden, notFound } from "./authorise.server";

/** Emails waiting longer than this mean delivery is failing. */
const STUCK_MS = 10 * 60_000;

/**
 * Whether email delivery is failing now (an email failed for good, or one has
 * waited more than ten minutes): the administrators' banner.
 */
export async function deliveryFailing(deps: Deps): Promise<{ failed: number; waiting: number } | null> {
  const { outbox } = await operationsFigures(deps.db, deps.clock.now(), deps.clock.now());
  const stuck = outbox.oldest_pending && deps.clock.now().getTime() - new Date(outbox.oldest_pending).getTime() > STUCK_MS;
  return outbox.failed > 0 || stuck ? { failed: outbox.failed, waiting: outbox.pending } : null;
}

/**
 * The Email delivery page, for administrators and safe in production: the
 * queue, its oldest, and each email not delivered by kind, recipient,
 * attempts and the kind of its last error; never a body, subject or link.
 */
export async function emailDelivery(deps: Deps, actor: Actor) {
  if (!may(actor.user, "administer")) throw forbidden();
  const now = deps.clock.now();
  const [figures, emails] = await Promise.all([operationsFigures(deps.db, now, now), listUndelivered(deps.db)]);
  await recordRead(deps, actor, { action: "mailbox.viewed", detail: { page: "email delivery", emails: emails.length } });
  return {
    waiting: figures.outbox.pending,
    failed: figures.outbox.failed,
    oldestWaiting: figures.outbox.oldest_pending,
    lastDelivered: figures.outbox.last_sent,
    emails: emails.map((e) => ({
      id: e.id,
      kind: e.kind,
      recipient: e.recipient,
      status: e.status,
      attempts: e.attempts,
      error: deliveryErrorClass(e.last_error),
      createdAt: e.created_at,
      nextAttemptAt: e.status === "pending" ? e.next_attempt_at : null,
    })),
  };
}

/** Puts an email that failed for good back in the queue, audited. */
export async function retryFailedEmail(deps: Deps, actor: Actor, id: number) {
  if (!may(actor.user, "administer")) throw forbidden();
  const result = await retryFailed(deps.db, id, deps.clock.now());
  if (Number(result.numUpdatedRows) !== 1) throw notFound();
  await insertAuditEvent(deps.db, {
    at: deps.clock.now(),
    actorUserId: actor.user.id,
    action: "email.retried",
    recordType: "outbox",
    recordId: id,
    ip: actor.ip,
  });
}
