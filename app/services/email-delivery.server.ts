import { insertAuditEvent } from "../../db/queries/audit";
import { listUndelivered, retryFailed } from "../../db/queries/outbox";
import { outboxFigures } from "../../db/queries/operations";
import type { Actor, Deps } from "../lib/context";
import { deliveryErrorClass } from "../lib/email-errors";
import { may } from "../lib/policy";
import { recordRead } from "./audit-trail.server";
import { forbidden, notFound } from "./authorise.server";
import { outboxProblems } from "./operations.server";

/**
 * Whether email delivery is failing now (the relay refused an email at its last
 * attempt, one failed for good, or one has waited too long: the status page's
 * rule): the administrators' warning.
 */
export async function deliveryFailing(deps: Deps): Promise<{ failed: number; waiting: number; retrying: number } | null> {
  const outbox = await outboxFigures(deps.db);
  return outboxProblems(outbox, deps.clock.now()).length
    ? { failed: outbox.failed, waiting: outbox.pending, retrying: outbox.retrying }
    : null;
}

/**
 * The Email delivery page, for administrators and safe in production: the
 * queue, its oldest, and each email not delivered by kind, recipient,
 * attempts and the kind of its last error; never a body, subject or link.
 */
export async function emailDelivery(deps: Deps, actor: Actor) {
  if (!may(actor.user, "administer")) throw forbidden();
  const [outbox, emails] = await Promise.all([outboxFigures(deps.db), listUndelivered(deps.db)]);
  await recordRead(deps, actor, { action: "mailbox.viewed", detail: { page: "email delivery", emails: emails.length } });
  return {
    waiting: outbox.pending,
    failed: outbox.failed,
    oldestWaiting: outbox.oldest_pending,
    lastDelivered: outbox.last_sent,
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
