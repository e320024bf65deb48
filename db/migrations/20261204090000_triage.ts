import { sql, type Kysely } from "kysely";

/**
 * Sorting requests before the panel: the chair lists each waiting request
 * (sorted_at), asks its requester a question (the item is returned until the
 * answer comes, then listed again on a panel whose cut-off allows), or closes
 * it with advice (a signposting decision before the panel).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table agenda_items add column sorted_at timestamptz`.execute(db);
  await sql`alter table agenda_items drop constraint if exists agenda_items_status_check`.execute(db);
  await sql`alter table agenda_items add constraint agenda_items_status_check
    check (status in ('listed','decided','moved','withdrawn','returned'))`.execute(db);
  await sql`create table request_questions (
    id serial primary key,
    request_id integer not null references requests(id) on delete cascade,
    panel_id integer not null references panels(id),
    asked_by_user_id integer not null references users(id),
    question text not null,
    asked_at timestamptz not null,
    answer text,
    answered_by_user_id integer references users(id),
    answered_at timestamptz
  )`.execute(db);
  await sql`create index request_questions_request_idx on request_questions (request_id)`.execute(db);
  await sql`create index request_questions_open_idx on request_questions (request_id) where answered_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table request_questions`.execute(db);
  await sql`update agenda_items set status = 'withdrawn' where status = 'returned'`.execute(db);
  await sql`alter table agenda_items drop constraint agenda_items_status_check`.execute(db);
  await sql`alter table agenda_items add constraint agenda_items_status_check
    check (status in ('listed','decided','moved','withdrawn'))`.execute(db);
  await sql`alter table agenda_items drop column sorted_at`.execute(db);
}
