import { sql, type Kysely } from "kysely";

/**
 * The lead practitioner the receiving service names after a step up or step
 * down, from any agency, with the supervisor who oversees the case where it is
 * held outside children's social care. Each naming is kept (a change of lead is
 * a new row); the newest is the case's lead.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table lead_practitioners (
    id serial primary key,
    case_id integer not null references cases(id) on delete cascade,
    decision_id integer not null references decisions(id),
    lead text not null check (length(lead) <= 400),
    lead_user_id integer references users(id),
    supervisor text check (length(supervisor) <= 400),
    supervisor_user_id integer references users(id),
    named_by_user_id integer not null references users(id),
    named_at timestamptz not null
  )`.execute(db);
  await sql`create index lead_practitioners_case on lead_practitioners (case_id, id desc)`.execute(db);
  // Which hand-over step an action is, so naming the lead completes its action without reading the words.
  await sql`alter table actions add column handover text check (handover in ('name_lead', 'transfer'))`.execute(db);
  await sql`update actions set handover = 'name_lead' where description like 'Name the lead practitioner for case %'`.execute(db);
  await sql`update actions set handover = 'transfer' where description like 'Hold the transfer meeting or joint visit for case %'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table actions drop column handover`.execute(db);
  await sql`drop table lead_practitioners`.execute(db);
}
