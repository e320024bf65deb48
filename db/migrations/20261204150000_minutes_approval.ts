import { sql, type Kysely } from "kysely";

/**
 * The minutes' approval: at the area's next panel the core members present
 * approve the last panel's published minutes, with any amendments recorded;
 * who approved, when, at which panel and the amendments are kept on the panel.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table panels add column minutes_approval jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table panels drop column minutes_approval`.execute(db);
}
