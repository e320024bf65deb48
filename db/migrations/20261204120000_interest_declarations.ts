import { sql, type Kysely } from "kysely";

/**
 * Declarations of interest: someone invited to a panel says they have an
 * interest in an item (a relative, a neighbour, a complaint about them), so
 * they take no part in its decision and the minutes say so. One per person
 * per item; declaring again replaces the reason.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table interest_declarations (
    id serial primary key,
    panel_id integer not null references panels(id) on delete cascade,
    agenda_item_id integer not null references agenda_items(id) on delete cascade,
    user_id integer not null references users(id),
    reason text not null,
    declared_at timestamptz not null,
    unique (agenda_item_id, user_id)
  )`.execute(db);
  await sql`create index interest_declarations_panel_idx on interest_declarations (panel_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table interest_declarations`.execute(db);
}
