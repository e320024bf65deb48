import { sql, type Kysely } from "kysely";

/**
 * What the family was told after a decision: how (a visit, a phone call, a
 * letter…), when and by whom, with what the family said. Kept with the case,
 * one row each time the family is told; nothing is overwritten.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table family_told (
    id serial primary key,
    case_id integer not null references cases(id) on delete cascade,
    decision_id integer not null references decisions(id),
    method text not null check (method in ('visit','phone','video','meeting','letter')),
    told_on date not null,
    told_by text not null,
    response text,
    recorded_by_user_id integer not null references users(id),
    recorded_at timestamptz not null
  )`.execute(db);
  await sql`create index family_told_case_idx on family_told (case_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table family_told`.execute(db);
}
