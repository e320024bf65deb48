import { sql } from "kysely";
import type { Database } from "../connect";

export interface NewEmail {
  idempotencyKey: string;
  kind: string;
  recipient: string;
  subject: string;
  text: string;
  html: string;
  ics?: string | null;
  icsMethod?: "REQUEST" | "CANCEL" | null;
}

/** Written in the caller's transaction, beside the change that caused it. */
export async function insertOutboxEmail(db: Database, email: NewEmail, at: Date) {
  await db
    .insertInto("outbox")
    .values({
      idempotency_key: email.idempotencyKey,
      kind: email.kind,
      recipient: email.recipient,
      subject: email.subject,
      text_body: email.text,
      html_body: email.html,
      ics: email.ics ?? null,
      ics_method: email.icsMethod ?? null,
      next_attempt_at: at,
      created_at: at,
    })
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .execute();
}

/**
 * Claims up to `limit` due emails for one worker. SKIP LOCKED lets several
 * workers claim at once without waiting for or taking each other's rows; a
 * claim lapses after `leaseMs` so a crashed worker's emails are picked up again.
 */
export async function claimDueEmails(db: Database, now: Date, limit: number, leaseMs: number) {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom("outbox")
      .select("id")
      .where((eb) =>
        eb.or([
          eb.and([eb("status", "=", "pending"), eb("next_attempt_at", "<=", now)]),
          eb.and([eb("status", "=", "sending"), eb("locked_until", "<", now)]),
        ]),
      )
      .orderBy("id")
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (!due.length) return [];
    return trx
      .updateTable("outbox")
      .set({ status: "sending", locked_until: new Date(now.getTime() + leaseMs), attempts: sql`attempts + 1` })
      .where(
        "id",
        "in",
        due.map((d) => d.id),
      )
      .returningAll()
      .execute();
  });
}

/** Keeps a worker's claim on emails it is still sending: a live worker's lease never lapses mid-send. */
export function extendLease(db: Database, ids: number[], until: Date) {
  if (!ids.length) return Promise.resolve();
  return db.updateTable("outbox").set({ locked_until: until }).where("id", "in", ids).where("status", "=", "sending").execute();
}

export function markSent(db: Database, id: number, at: Date, transport: string) {
  return db
    .updateTable("outbox")
    .set({ status: "sent", sent_at: at, locked_until: null, last_error: null, transport })
    .where("id", "=", id)
    .where("status", "=", "sending")
    .execute();
}

export function markFailedAttempt(db: Database, id: number, error: string, nextAttemptAt: Date | null) {
  return db
    .updateTable("outbox")
    .set({
      status: nextAttemptAt ? "pending" : "failed",
      next_attempt_at: nextAttemptAt ?? sql`next_attempt_at`,
      locked_until: null,
      last_error: error.slice(0, 500),
    })
    .where("id", "=", id)
    .execute();
}

export function retryFailed(db: Database, id: number, at: Date) {
  return db
    .updateTable("outbox")
    .set({ status: "pending", next_attempt_at: at, attempts: 0, last_error: null })
    .where("id", "=", id)
    .where("status", "=", "failed")
    .executeTakeFirst();
}

export function listOutbox(db: Database, filter: { status?: string; transport?: string; limit?: number } = {}) {
  let query = db
    .selectFrom("outbox")
    .select(["id", "kind", "recipient", "subject", "status", "attempts", "last_error", "created_at", "sent_at", "transport", "ics_method"])
    .orderBy("id", "desc")
    .limit(filter.limit ?? 200);
  if (filter.status) query = query.where("status", "=", filter.status as never);
  if (filter.transport) query = query.where("transport", "=", filter.transport);
  return query.execute();
}

export function findOutboxEmail(db: Database, id: number) {
  return db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Emails written about given decisions, actions, challenges and agenda items (by their idempotency keys), oldest first. */
export function listEmailsAbout(
  db: Database,
  about: { decisionIds: number[]; actionIds: number[]; challengeIds: number[]; itemIds: number[] },
) {
  const prefixes = [
    ...about.decisionIds.map((id) => `decision:${id}:`),
    ...about.actionIds.map((id) => `action:${id}:`),
    ...about.challengeIds.map((id) => `challenge:${id}:`),
    ...about.itemIds.map((id) => `item:${id}:`),
  ];
  if (!prefixes.length) return Promise.resolve([]);
  return db
    .selectFrom("outbox")
    .select(["id", "kind", "recipient", "subject", "text_body", "status", "created_at", "sent_at"])
    .where((eb) => eb.or(prefixes.map((p) => eb("idempotency_key", "like", `${p.replace(/[%_\\]/g, "\\$&")}%`))))
    .orderBy("id")
    .execute();
}

/** The emails not yet delivered (waiting, being sent, failed for good), oldest first, with what the delivery page shows. */
export function listUndelivered(db: Database, limit = 200) {
  return db
    .selectFrom("outbox")
    .select(["id", "kind", "recipient", "status", "attempts", "last_error", "created_at", "next_attempt_at"])
    .where("status", "in", ["pending", "sending", "failed"])
    .orderBy("id")
    .limit(limit)
    .execute();
}
