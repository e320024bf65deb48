import { sql, type Kysely } from "kysely";

/** When a closed case's personal details and free text were removed at the end of its retention period. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table cases add column anonymised_at timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table cases drop column anonymised_at`.execute(db);
}
