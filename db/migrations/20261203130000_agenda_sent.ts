import { sql, type Kysely } from "kysely";

/**
 * An agenda sent once: while the chair prepares it nobody is emailed; when it
 * is sent (by the chair, at the start of the meeting, or the day before at
 * the latest) each invitee gets one invite for their item. Panels that
 * already existed count as sent, so their invitees' invites carry on as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table panels add column agenda_sent_at timestamptz`.execute(db);
  await sql`update panels set agenda_sent_at = updated_at`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table panels drop column agenda_sent_at`.execute(db);
}
