import { sql, type Kysely } from "kysely";

/**
 * Knowing a child already known: trigram similarity (pg_trgm) and phonetic
 * codes (fuzzystrmatch) for names, both trusted extensions a database owner
 * may create; and, on each request, the cases it may be about, for the chair
 * to check before the panel.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create extension if not exists fuzzystrmatch`.execute(db);
  await sql`alter table requests add column possible_match_case_ids jsonb not null default '[]'::jsonb`.execute(db);
  // Drafts left unsent are deleted after a while; found by their last change.
  await sql`create index requests_drafts_idx on requests (updated_at) where status = 'draft'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index requests_drafts_idx`.execute(db);
  await sql`alter table requests drop column possible_match_case_ids`.execute(db);
  // The extensions stay: other objects may depend on them, and they hold no data.
}
