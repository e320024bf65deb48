import { sql, type Kysely } from "kysely";

/**
 * The hand-over clocks, per area: how many working days the receiving service
 * has to name its lead practitioner (1 by default) and to hold the transfer
 * meeting or joint visit (5 by default), as Working Together 2023 and most
 * step-down protocols set them. The administrator may change them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table areas add column lead_within_days integer not null default 1 check (lead_within_days between 0 and 10)`.execute(db);
  await sql`alter table areas add column transfer_within_days integer not null default 5 check (transfer_within_days between 1 and 20)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table areas drop column transfer_within_days`.execute(db);
  await sql`alter table areas drop column lead_within_days`.execute(db);
}
