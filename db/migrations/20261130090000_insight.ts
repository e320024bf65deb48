import { sql, type Kysely } from "kysely";

/**
 * The insight figures' summary tables (ADR 015). One fact row per decided
 * request, and monthly roll-ups of the facts at four grains: area and agency,
 * area alone, agency alone and everything (0 stands for "all"). A job keeps
 * them current from the base tables; the dashboard reads only the roll-ups.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table insight_request_facts (
      request_id integer primary key,
      case_id integer not null,
      area_id integer not null,
      agency_id integer not null,
      kind text not null,
      panel_kind text not null,
      panel_id integer,
      outcome text not null,
      decided_on date not null,
      month date not null,
      days_to_decision integer,
      days_to_transfer integer,
      deferrals integer not null,
      placed text not null,
      back_on date,
      at_3_months text,
      at_6_months text
    )`.execute(db);
  await sql`create index insight_request_facts_case_idx on insight_request_facts (case_id)`.execute(db);
  await sql`create index insight_request_facts_month_idx on insight_request_facts (month)`.execute(db);
  await sql`
    create table insight_monthly (
      area_id integer not null,
      agency_id integer not null,
      month date not null,
      kind text not null,
      panel_kind text not null,
      outcome text not null,
      decided integer not null,
      deferred_twice integer not null,
      same_3 integer not null,
      back_3 integer not null,
      closed_3 integer not null,
      same_6 integer not null,
      back_6 integer not null,
      closed_6 integer not null,
      bounced_3 integer not null,
      bounced_6 integer not null,
      bounced_12 integer not null,
      window_3 integer not null,
      window_6 integer not null,
      window_12 integer not null,
      primary key (area_id, agency_id, month, kind, panel_kind, outcome)
    )`.execute(db);
  await sql`
    create table insight_durations (
      area_id integer not null,
      agency_id integer not null,
      month date not null,
      measure text not null,
      panel_kind text not null,
      kind text not null,
      days integer not null,
      n integer not null,
      primary key (area_id, agency_id, month, measure, panel_kind, kind, days)
    )`.execute(db);
  await sql`
    create table insight_state (
      id integer primary key,
      decision_mark integer not null,
      transition_mark integer not null,
      refreshed_on date,
      refreshed_at timestamptz
    )`.execute(db);
  await sql`insert into insight_state (id, decision_mark, transition_mark) values (1, 0, 0)`.execute(db);
  // The base-table lookups the refresh makes for each changed case, and the waiting-work figures.
  await sql`create index decisions_request_idx on decisions (request_id)`.execute(db);
  await sql`create index case_transitions_case_at_idx on case_transitions (case_id, at)`.execute(db);
  await sql`create index actions_open_due_idx on actions (due_date) where status = 'open'`.execute(db);
  await sql`create index challenges_created_idx on challenges (created_at)`.execute(db);
  await sql`create index panels_starts_idx on panels (starts_at)`.execute(db);
  await sql`create index requests_awaiting_idx on requests (submitted_at) where status = 'awaiting_panel'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of [
    "decisions_request_idx",
    "case_transitions_case_at_idx",
    "actions_open_due_idx",
    "challenges_created_idx",
    "panels_starts_idx",
    "requests_awaiting_idx",
  ]) {
    await sql`drop index ${sql.raw(index)}`.execute(db);
  }
  await sql`drop table insight_state`.execute(db);
  await sql`drop table insight_durations`.execute(db);
  await sql`drop table insight_monthly`.execute(db);
  await sql`drop table insight_request_facts`.execute(db);
}
