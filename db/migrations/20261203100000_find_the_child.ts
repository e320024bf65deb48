import { sql, type Kysely } from "kysely";

/**
 * Finding a child: the NHS number and the council's case-system id beside the
 * name and date of birth, each indexed for search and for spotting a child
 * already known when a request starts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table cases add column nhs_number text, add column case_system_id text`.execute(db);
  await sql`create index cases_nhs_number_idx on cases (nhs_number) where nhs_number is not null`.execute(db);
  await sql`create index cases_case_system_id_idx on cases (lower(case_system_id)) where case_system_id is not null`.execute(db);
  await sql`create index cases_child_date_of_birth_idx on cases (child_date_of_birth)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index cases_child_date_of_birth_idx`.execute(db);
  await sql`alter table cases drop column nhs_number, drop column case_system_id`.execute(db);
}
