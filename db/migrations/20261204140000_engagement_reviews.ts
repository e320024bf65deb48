import { sql, type Kysely } from "kysely";

/**
 * Whether a step down worked: at the Team Around the Family review, the lead
 * practitioner records how the family engaged (engaged, declined, could not be
 * contacted, stepped back up) and why. One per step-down decision; recording
 * again replaces it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table engagement_reviews (
    id serial primary key,
    case_id integer not null references cases(id) on delete cascade,
    decision_id integer not null unique references decisions(id) on delete cascade,
    outcome text not null check (outcome in ('engaged','declined','not_contacted','stepped_back_up')),
    reason text not null,
    reviewed_on date not null,
    recorded_by_user_id integer not null references users(id),
    recorded_at timestamptz not null
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table engagement_reviews`.execute(db);
}
