import { sql, type Kysely } from "kysely";

/**
 * The panel as it runs live: when each item was actually started and ended,
 * items skipped to come back to later, and the item under discussion now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table agenda_items add column started_at timestamptz, add column ended_at timestamptz, add column skipped boolean not null default false`.execute(
    db,
  );
  await sql`alter table panels add column current_item_id integer`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table panels drop column current_item_id`.execute(db);
  await sql`alter table agenda_items drop column started_at, drop column ended_at, drop column skipped`.execute(db);
}
