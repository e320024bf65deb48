import { sql, type Kysely } from "kysely";

/**
 * Quorum, per area: the agency kinds a panel needs in the room (children's
 * social care and early help unless the administrator says otherwise) and how
 * many other agencies besides (two by default).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table areas add column quorum_kinds jsonb not null default '["childrens_social_care","early_help"]'::jsonb`.execute(db);
  await sql`alter table areas add column quorum_others integer not null default 2 check (quorum_others between 0 and 10)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table areas drop column quorum_others`.execute(db);
  await sql`alter table areas drop column quorum_kinds`.execute(db);
}
