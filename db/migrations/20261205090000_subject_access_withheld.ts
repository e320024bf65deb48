import { sql, type Kysely } from "kysely";

/**
 * The details a reviewer withholds from a subject-access copy: one row per
 * field of the record (for example a decision's reasons naming another person).
 * The record itself is never changed; only the copy produced for the family
 * leaves these out.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table subject_access_withheld (
    case_id integer not null references cases(id) on delete cascade,
    field text not null check (length(field) <= 100),
    marked_by_user_id integer not null references users(id),
    marked_at timestamptz not null,
    primary key (case_id, field)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table subject_access_withheld`.execute(db);
}
