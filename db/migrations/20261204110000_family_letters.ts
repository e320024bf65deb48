import { sql, type Kysely } from "kysely";

/**
 * Letters to families. An administrator may replace the wording for an
 * outcome (letter_templates; with no row the product's own wording is used).
 * Each letter written for a case is kept with it: its text as written, who
 * wrote it and who reviewed it before it could be printed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table letter_templates (
    outcome text primary key,
    body text not null,
    updated_by_user_id integer not null references users(id),
    updated_at timestamptz not null
  )`.execute(db);
  await sql`create table family_letters (
    id serial primary key,
    case_id integer not null references cases(id) on delete cascade,
    decision_id integer not null references decisions(id),
    body text not null,
    written_by_user_id integer not null references users(id),
    written_at timestamptz not null,
    reviewed_by_user_id integer references users(id),
    reviewed_at timestamptz,
    check ((reviewed_by_user_id is null) = (reviewed_at is null))
  )`.execute(db);
  await sql`create index family_letters_case_idx on family_letters (case_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table family_letters`.execute(db);
  await sql`drop table letter_templates`.execute(db);
}
