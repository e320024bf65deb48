import type { Database } from "../db/connect";
import { insertOutboxEmail } from "../db/queries/outbox";
import type { RenderedEmail } from "./render";

/**
 * Puts one email for one recipient in the outbox, in the caller's transaction.
 * The key names the logical email (e.g. "decision:42:user:7"): enqueueing it
 * again does nothing, so retried use cases never send twice.
 */
export function enqueueEmail(
  trx: Database,
  email: RenderedEmail & { key: string; kind: string; to: string; ics?: string; icsMethod?: "REQUEST" | "CANCEL" },
  at: Date,
) {
  return insertOutboxEmail(
    trx,
    {
      idempotencyKey: email.key,
      kind: email.kind,
      recipient: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      ics: email.ics ?? null,
      icsMethod: email.icsMethod ?? null,
    },
    at,
  );
}
