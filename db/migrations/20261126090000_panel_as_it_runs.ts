import { sql, type Kysely } from "kysely";

/**
 * The panel as it really runs: a meeting held before its date (and why),
 * people who turn up without an invitation (with or without an account),
 * why a panel went ahead without social care or early help, an agency's
 * contact for invites, corrected decisions kept beside the ones they replace,
 * chosen risk holders and lead practitioners, the head of service role, and
 * the people an extraordinary panel invites.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table panels
    add column held_early_from date,
    add column held_early_reason text,
    add column going_ahead_without jsonb not null default '{}'::jsonb`.execute(db);

  await sql`alter table panel_attendees
    alter column user_id drop not null,
    add column guest_name text,
    add column guest_role text,
    add column guest_agency_id integer references agencies(id),
    drop constraint if exists panel_attendees_role_check,
    add constraint panel_attendees_role_check check (role in ('chair','core','item','present')),
    add constraint panel_attendees_person_check check (user_id is not null or (guest_name is not null and guest_agency_id is not null))`.execute(
    db,
  );

  await sql`alter table agencies
    add column contact_name text,
    add column contact_email text`.execute(db);

  await sql`alter table decisions
    add column superseded_by_decision_id integer references decisions(id),
    add column corrects_decision_id integer references decisions(id),
    add column correction_reason text,
    add column risk_holder_user_id integer references users(id),
    add column lead_practitioner_user_id integer references users(id)`.execute(db);

  await sql`alter table users
    drop constraint if exists users_role_check,
    add constraint users_role_check check (role in ('professional','team_manager','service_manager','head_of_service','partner','admin'))`.execute(
    db,
  );

  await sql`alter table extraordinary_requests add column attendee_user_ids jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table extraordinary_requests drop column attendee_user_ids`.execute(db);
  await sql`update users set role = 'service_manager' where role = 'head_of_service'`.execute(db);
  await sql`alter table users
    drop constraint if exists users_role_check,
    add constraint users_role_check check (role in ('professional','team_manager','service_manager','partner','admin'))`.execute(db);
  await sql`alter table decisions
    drop column superseded_by_decision_id,
    drop column corrects_decision_id,
    drop column correction_reason,
    drop column risk_holder_user_id,
    drop column lead_practitioner_user_id`.execute(db);
  await sql`alter table agencies drop column contact_name, drop column contact_email`.execute(db);
  await sql`delete from panel_attendees where user_id is null or role = 'present'`.execute(db);
  await sql`alter table panel_attendees
    drop constraint panel_attendees_person_check,
    drop constraint panel_attendees_role_check,
    add constraint panel_attendees_role_check check (role in ('chair','core','item')),
    drop column guest_name,
    drop column guest_role,
    drop column guest_agency_id,
    alter column user_id set not null`.execute(db);
  await sql`alter table panels drop column held_early_from, drop column held_early_reason, drop column going_ahead_without`.execute(db);
}
