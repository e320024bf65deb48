import { sql, type Kysely, type RawBuilder } from "kysely";

/**
 * Every machine names its states in snake case, as the case statuses always
 * were: panel and challenge statuses, the transition history, the saved
 * machine snapshots and a challenge's "changed to" follow. (ADR 011.)
 */
const RENAMED: Array<[string, string]> = [
  ["agendaOpen", "agenda_open"],
  ["agendaClosed", "agenda_closed"],
  ["inSession", "in_session"],
  ["minutesPublished", "minutes_published"],
  ["frontDoor", "front_door"],
  ["earlyHelp", "early_help"],
  ["stepUpRequested", "step_up_requested"],
  ["socialCare", "social_care"],
  ["stepDownRequested", "step_down_requested"],
  ["volunteerSupport", "volunteer_support"],
];

/** A text column with every renamed state swapped (exact values only). */
function swapped(column: string, pairs: Array<[string, string]>): RawBuilder<string> {
  const whens = sql.join(
    pairs.map(([from, to]) => sql`when ${from} then ${to}`),
    sql` `,
  );
  return sql<string>`case ${sql.ref(column)} ${whens} else ${sql.ref(column)} end`;
}

/** A JSON snapshot with every renamed state swapped wherever it appears as a string. */
function swappedJson(column: string, pairs: Array<[string, string]>): RawBuilder<unknown> {
  const text = pairs.reduce<RawBuilder<string>>(
    (expr, [from, to]) => sql<string>`replace(${expr}, ${`"${from}"`}, ${`"${to}"`})`,
    sql<string>`${sql.ref(column)}::text`,
  );
  return sql`(${text})::jsonb`;
}

const PANEL_STATES = (names: (s: string) => string) =>
  ["scheduled", "agendaOpen", "agendaClosed", "inSession", "concluded", "minutesPublished", "cancelled"]
    .map((s) => `'${names(s)}'`)
    .join(",");
const CHALLENGE_STATES = (names: (s: string) => string) =>
  ["raised", "stage1", "stage2", "stage3", "stage4", "stage5", "resolved", "withdrawn", "frontDoor"].map((s) => `'${names(s)}'`).join(",");

async function rename(db: Kysely<unknown>, pairs: Array<[string, string]>, names: (s: string) => string) {
  await sql`alter table panels drop constraint if exists panels_status_check`.execute(db);
  await sql`alter table challenges drop constraint if exists challenges_status_check`.execute(db);
  await sql`update panels set status = ${swapped("status", pairs)}, lifecycle = ${swappedJson("lifecycle", pairs)}`.execute(db);
  await sql`update panel_transitions set from_status = ${swapped("from_status", pairs)}, to_status = ${swapped("to_status", pairs)}`.execute(
    db,
  );
  await sql`update challenges set status = ${swapped("status", pairs)}, changed_to = ${swapped("changed_to", pairs)}, machine = ${swappedJson("machine", pairs)}`.execute(
    db,
  );
  await sql`update challenge_events set from_status = ${swapped("from_status", pairs)}, to_status = ${swapped("to_status", pairs)}`.execute(
    db,
  );
  await sql`update cases set journey = ${swappedJson("journey", pairs)}`.execute(db);
  await sql.raw(`alter table panels add constraint panels_status_check check (status in (${PANEL_STATES(names)}))`).execute(db);
  await sql.raw(`alter table challenges add constraint challenges_status_check check (status in (${CHALLENGE_STATES(names)}))`).execute(db);
}

const snake = (s: string) => RENAMED.find(([from]) => from === s)?.[1] ?? s;

export async function up(db: Kysely<unknown>): Promise<void> {
  await rename(db, RENAMED, snake);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await rename(
    db,
    RENAMED.map(([from, to]) => [to, from]),
    (s) => s,
  );
}
