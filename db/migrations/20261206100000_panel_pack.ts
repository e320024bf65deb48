import { sql, type Kysely } from "kysely";

/**
 * The panel pack: what each partner's agency knows about an item before the
 * meeting (an information return, one per person per item, replaced when they
 * write it again), and who has marked the pack read, so the chair knows at
 * the start who came prepared.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table information_returns (
    id serial primary key,
    panel_id integer not null references panels(id) on delete cascade,
    agenda_item_id integer not null references agenda_items(id) on delete cascade,
    user_id integer not null references users(id),
    agency_id integer not null references agencies(id),
    body text not null,
    written_at timestamptz not null,
    unique (agenda_item_id, user_id)
  )`.execute(db);
  await sql`create index information_returns_panel_idx on information_returns (panel_id)`.execute(db);
  await sql`create table pack_reads (
    panel_id integer not null references panels(id) on delete cascade,
    user_id integer not null references users(id),
    read_at timestamptz not null,
    primary key (panel_id, user_id)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table pack_reads`.execute(db);
  await sql`drop table information_returns`.execute(db);
}
