import { sql, type RawBuilder } from "kysely";
import type { Database } from "../connect";

/*
 * The insight summary tables (ADR 015): facts per decided request, rolled up
 * by month at four grains (area and agency, area, agency, all; 0 = all).
 * The refresh recomputes the facts of the cases that changed since the last
 * one (new decisions or journey transitions, or a 3, 6 or 12-month horizon
 * reached), then the roll-ups of the months those facts fall in.
 */

const LONDON = sql.lit("Europe/London");

/** The side of the threshold a journey state is on. */
const tierOf = (status: RawBuilder<unknown>) => sql`(case
  when ${status} in ('early_help', 'step_up_requested', 'volunteer_support') then 'early_help'
  when ${status} = 'closed' then 'closed'
  else 'social_care' end)`;

const FOLLOW_UP = (months: number) => sql`(case
  when s.first_at + interval '${sql.raw(String(months))} months' > ${sql.ref("now_param")} then null
  else (select (case ${tierOf(sql`t.to_status`)} when p.placed then 'same' when 'closed' then 'closed' else 'back' end)
          from case_transitions t
         where t.case_id = p.case_id and t.at <= s.first_at + interval '${sql.raw(String(months))} months'
         order by t.at desc, t.id desc limit 1) end)`;

/** Inserts the facts of the given cases (every case when null). */
async function insertFacts(db: Database, caseIds: number[] | null, now: Date) {
  const scope = (column: string) => (caseIds ? sql`${sql.ref(column)} = any(${caseIds}::int[])` : sql`true`);
  await sql`
    with params as (select ${now}::timestamptz as now_param),
    settled as (
      select d.request_id,
             min(d.decided_at) filter (where d.outcome <> 'deferred') as first_at,
             count(*) filter (where d.outcome = 'deferred' and d.superseded_by_decision_id is null) as deferrals
        from decisions d
       where ${scope("d.case_id")}
       group by d.request_id
    ),
    final as (
      select distinct on (d.request_id) d.request_id, d.outcome, d.panel_id, d.transfer_date
        from decisions d
       where ${scope("d.case_id")} and d.outcome <> 'deferred' and d.superseded_by_decision_id is null
       order by d.request_id, d.decided_at desc, d.id desc
    ),
    placed as (
      select r.id as request_id, r.case_id, coalesce(r.area_id, c.area_id) as area_id, r.agency_id, r.kind,
             coalesce(pn.kind, 'none') as panel_kind, f.panel_id, f.outcome, f.transfer_date, r.submitted_at,
             (case
                when f.outcome = 'step_up_agreed' or f.outcome = 'referred_to_front_door' then 'social_care'
                when f.outcome like 'step_down_agreed%' then 'early_help'
                when r.kind = 'step_up' then 'early_help'
                else 'social_care' end) as placed
        from final f
        join requests r on r.id = f.request_id
        join cases c on c.id = r.case_id
        left join panels pn on pn.id = f.panel_id
    )
    insert into insight_request_facts
      (request_id, case_id, area_id, agency_id, kind, panel_kind, panel_id, outcome, decided_on, month,
       days_to_decision, days_to_transfer, deferrals, placed, back_on, at_3_months, at_6_months)
    select p.request_id, p.case_id, p.area_id, p.agency_id, p.kind, p.panel_kind, p.panel_id, p.outcome,
           (s.first_at at time zone ${LONDON})::date,
           date_trunc('month', s.first_at at time zone ${LONDON})::date,
           (s.first_at at time zone ${LONDON})::date - (p.submitted_at at time zone ${LONDON})::date,
           p.transfer_date::date - (s.first_at at time zone ${LONDON})::date,
           s.deferrals, p.placed,
           (case when p.outcome = 'step_up_agreed' or p.outcome like 'step_down_agreed%' then
              (select (min(t.at) at time zone ${LONDON})::date from case_transitions t
                where t.case_id = p.case_id and t.at > s.first_at
                  and (case p.placed when 'early_help' then t.to_status = 'social_care'
                                     else t.to_status in ('early_help', 'volunteer_support') end))
            end),
           ${FOLLOW_UP(3)}, ${FOLLOW_UP(6)}
      from placed p
      join settled s on s.request_id = p.request_id
      cross join params
  `.execute(db);
}

const GRAINS = (keys: string) =>
  sql.raw(`grouping sets ((${keys}, area_id, agency_id), (${keys}, area_id), (${keys}, agency_id), (${keys}))`);

/** Rebuilds the roll-ups of the given months (every month when null) from the facts. */
async function rollUp(db: Database, months: string[] | null, today: string) {
  const scope = months ? sql`month = any(${months}::date[])` : sql`true`;
  await sql`delete from insight_monthly where ${scope}`.execute(db);
  await sql`delete from insight_durations where ${scope}`.execute(db);
  // A step counts towards "back within N months" once its N months have passed, whether or not it came back:
  // counting early returns before their window closes would overstate bounce-back.
  const ended = (n: number) => sql`(decided_on + interval '${sql.raw(String(n))} months' <= ${today}::date)`;
  const within = (n: number) => sql`(${ended(n)} and back_on <= decided_on + interval '${sql.raw(String(n))} months')`;
  await sql`
    insert into insight_monthly
    select coalesce(area_id, 0), coalesce(agency_id, 0), month, kind, panel_kind, outcome,
           count(*), count(*) filter (where deferrals >= 2),
           count(*) filter (where at_3_months = 'same'), count(*) filter (where at_3_months = 'back'),
           count(*) filter (where at_3_months = 'closed'),
           count(*) filter (where at_6_months = 'same'), count(*) filter (where at_6_months = 'back'),
           count(*) filter (where at_6_months = 'closed'),
           count(*) filter (where ${within(3)}), count(*) filter (where ${within(6)}), count(*) filter (where ${within(12)}),
           count(*) filter (where ${ended(3)}), count(*) filter (where ${ended(6)}), count(*) filter (where ${ended(12)})
      from insight_request_facts
     where ${scope}
     group by ${GRAINS("month, kind, panel_kind, outcome")}
  `.execute(db);
  await sql`
    insert into insight_durations
    select coalesce(area_id, 0), coalesce(agency_id, 0), month, measure, panel_kind, kind, days, count(*)
      from (select area_id, agency_id, month, 'to_decision' as measure, panel_kind, kind, days_to_decision as days
              from insight_request_facts where ${scope} and days_to_decision is not null
            union all
            select area_id, agency_id, month, 'to_transfer', panel_kind, kind, days_to_transfer
              from insight_request_facts where ${scope} and days_to_transfer is not null) x
     group by ${GRAINS("month, measure, panel_kind, kind, days")}
  `.execute(db);
}

export interface RefreshResult {
  cases: number | "all";
  months: number;
}

/**
 * Brings the summary tables up to date, in the caller's transaction. The
 * state row's lock makes concurrent refreshes (two workers) take turns.
 */
export async function refreshInsightTables(
  db: Database,
  now: Date,
  today: string,
  options: { full?: boolean } = {},
): Promise<RefreshResult> {
  await sql`insert into insight_state (id, decision_mark, transition_mark) values (1, 0, 0) on conflict (id) do nothing`.execute(db);
  const state = await db.selectFrom("insight_state").selectAll().where("id", "=", 1).forUpdate().executeTakeFirstOrThrow();
  const marks = await sql<{ d: number | null; t: number | null }>`
    select (select max(id) from decisions) as d, (select max(id) from case_transitions) as t`.execute(db);
  const decisionMark = Number(marks.rows[0]?.d ?? 0);
  const transitionMark = Number(marks.rows[0]?.t ?? 0);
  const full = options.full || state.refreshed_on === null;
  let result: RefreshResult;
  if (full) {
    await sql`delete from insight_request_facts`.execute(db);
    await insertFacts(db, null, now);
    await rollUp(db, null, today);
    result = { cases: "all", months: -1 };
  } else {
    const since = state.refreshed_on!;
    // Cases with new decisions or journey steps, and those whose follow-up horizon came round.
    // The 3, 6 and 12-month horizons move only when the day changes.
    const horizons =
      String(since).slice(0, 10) < today
        ? sql`union select case_id from insight_request_facts where ${sql.join(
            [3, 6, 12].map(
              (n) => sql`((decided_on + interval '${sql.raw(String(n))} months')::date > ${since}::date
                        and (decided_on + interval '${sql.raw(String(n))} months')::date <= ${today}::date)`,
            ),
            sql` or `,
          )}`
        : sql``;
    const dirty = await sql<{ case_id: number }>`
      select case_id from decisions where id > ${state.decision_mark}
      union select case_id from case_transitions where id > ${state.transition_mark}
      ${horizons}`.execute(db);
    const caseIds = dirty.rows.map((r) => Number(r.case_id));
    let months: string[] = [];
    if (caseIds.length) {
      const before = await sql<{ month: string }>`
        select distinct month from insight_request_facts where case_id = any(${caseIds}::int[])`.execute(db);
      await sql`delete from insight_request_facts where case_id = any(${caseIds}::int[])`.execute(db);
      await insertFacts(db, caseIds, now);
      const after = await sql<{ month: string }>`
        select distinct month from insight_request_facts where case_id = any(${caseIds}::int[])`.execute(db);
      months = [...new Set([...before.rows, ...after.rows].map((r) => String(r.month)))];
      if (months.length) await rollUp(db, months, today);
    }
    result = { cases: caseIds.length, months: months.length };
  }
  await db
    .updateTable("insight_state")
    .set({ decision_mark: decisionMark, transition_mark: transitionMark, refreshed_on: today, refreshed_at: now })
    .where("id", "=", 1)
    .execute();
  return result;
}

export function insightState(db: Database) {
  return db.selectFrom("insight_state").select(["refreshed_at"]).where("id", "=", 1).executeTakeFirst();
}

export interface InsightScope {
  /** First day of the first and last months. */
  fromMonth: string;
  toMonth: string;
  areaId: number;
  agencyId: number;
}

export function monthlyRows(db: Database, scope: InsightScope) {
  return db
    .selectFrom("insight_monthly")
    .selectAll()
    .where("area_id", "=", scope.areaId)
    .where("agency_id", "=", scope.agencyId)
    .where("month", ">=", scope.fromMonth)
    .where("month", "<=", scope.toMonth)
    .execute();
}

/** Bounce-back by area: every area's own rows (only the chosen one when an area is chosen). */
export function bounceByArea(db: Database, scope: InsightScope) {
  let query = db
    .selectFrom("insight_monthly")
    .innerJoin("areas", "areas.id", "insight_monthly.area_id")
    .select([
      "areas.name as area",
      "insight_monthly.outcome",
      sql<number>`sum(bounced_3)::int`.as("bounced_3"),
      sql<number>`sum(bounced_6)::int`.as("bounced_6"),
      sql<number>`sum(bounced_12)::int`.as("bounced_12"),
      sql<number>`sum(window_3)::int`.as("window_3"),
      sql<number>`sum(window_6)::int`.as("window_6"),
      sql<number>`sum(window_12)::int`.as("window_12"),
      sql<number>`sum(decided)::int`.as("decided"),
    ])
    .where("insight_monthly.agency_id", "=", scope.agencyId)
    .where("insight_monthly.month", ">=", scope.fromMonth)
    .where("insight_monthly.month", "<=", scope.toMonth)
    .where((eb) =>
      eb.or([eb("insight_monthly.outcome", "=", "step_up_agreed"), eb("insight_monthly.outcome", "like", "step_down_agreed%")]),
    )
    .groupBy(["areas.name", "insight_monthly.outcome"])
    .orderBy("areas.name");
  query = scope.areaId ? query.where("insight_monthly.area_id", "=", scope.areaId) : query.where("insight_monthly.area_id", "<>", 0);
  return query.execute();
}

export function durationRows(db: Database, scope: InsightScope) {
  return db
    .selectFrom("insight_durations")
    .select(["measure", "panel_kind", "kind", "days", sql<number>`sum(n)::int`.as("n")])
    .where("area_id", "=", scope.areaId)
    .where("agency_id", "=", scope.agencyId)
    .where("month", ">=", scope.fromMonth)
    .where("month", "<=", scope.toMonth)
    .groupBy(["measure", "panel_kind", "kind", "days"])
    .execute();
}

/**
 * Panels in the period, counted in the database: by month (UK) and kind for
 * those that met (concluded or minutes published), cancelled ones, and
 * attendance: invited people who came, and panels each agency attended.
 */
export async function panelCounts(db: Database, scope: { from: Date; to: Date; areaId: number }) {
  const area = scope.areaId ? sql`and p.area_id = ${scope.areaId}` : sql``;
  const within = sql`p.starts_at >= ${scope.from} and p.starts_at < ${scope.to} ${area}`;
  const [held, attendance, agencies] = await Promise.all([
    sql<{ month: string; kind: string; held: number; cancelled: number }>`
      select date_trunc('month', p.starts_at at time zone ${LONDON})::date as month, p.kind,
             count(*) filter (where p.status in ('concluded', 'minutes_published'))::int as held,
             count(*) filter (where p.status = 'cancelled')::int as cancelled
        from panels p where ${within} group by 1, 2`.execute(db),
    sql<{ kind: string; invited: number; came: number }>`
      select p.kind, count(*) filter (where a.role <> 'present')::int as invited,
             count(*) filter (where a.role <> 'present' and a.attendance in ('in_person', 'online'))::int as came
        from panels p join panel_attendees a on a.panel_id = p.id
       where ${within} and p.status in ('concluded', 'minutes_published') group by 1`.execute(db),
    sql<{ agency: string; kind: string; panels: number }>`
      select g.name as agency, p.kind, count(distinct p.id)::int as panels
        from panels p join panel_attendees a on a.panel_id = p.id
        left join users u on u.id = a.user_id
        join agencies g on g.id = coalesce(u.agency_id, a.guest_agency_id)
       where ${within} and p.status in ('concluded', 'minutes_published') and a.attendance in ('in_person', 'online')
       group by 1, 2`.execute(db),
  ]);
  return { held: held.rows, attendance: attendance.rows, agencies: agencies.rows };
}

/** Submitted requests waiting for a panel today, by kind and how long (whole UK days since submission). */
export async function awaitingCounts(db: Database, scope: { areaId: number; agencyId: number; today: string }) {
  const rows = await sql<{ kind: string; days: number; n: number }>`
    select kind, (${scope.today}::date - (submitted_at at time zone ${LONDON})::date)::int as days, count(*)::int as n
      from requests
     where status = 'awaiting_panel' and submitted_at is not null
       ${scope.areaId ? sql`and area_id = ${scope.areaId}` : sql``}
       ${scope.agencyId ? sql`and agency_id = ${scope.agencyId}` : sql``}
     group by 1, 2`.execute(db);
  return rows.rows;
}

/** Open actions past their due date today, by the owner's agency, with the longest overdue. */
export async function overdueCounts(db: Database, scope: { areaId: number; agencyId: number; today: string }) {
  const rows = await sql<{ agency: string; n: number; longest: number }>`
    select g.name as agency, count(*)::int as n, max(${scope.today}::date - a.due_date)::int as longest
      from actions a
      join users u on u.id = a.owner_user_id
      join agencies g on g.id = u.agency_id
      ${scope.areaId ? sql`join cases c on c.id = a.case_id and c.area_id = ${scope.areaId}` : sql``}
     where a.status = 'open' and a.due_date < ${scope.today}::date
       ${scope.agencyId ? sql`and u.agency_id = ${scope.agencyId}` : sql``}
     group by 1 order by 1`.execute(db);
  return rows.rows;
}

const OPEN_CHALLENGE = ["raised", "stage1", "stage2", "stage3", "stage4", "stage5"];

/** Open challenges today by stage and category, with the longest open. */
export async function openChallengeCounts(db: Database, scope: { areaId: number; agencyId: number; now: Date }) {
  const rows = await sql<{ status: string; category: string; n: number; longest: number }>`
    select status, category, count(*)::int as n, max(floor(extract(epoch from (${scope.now}::timestamptz - created_at)) / 86400))::int as longest
      from challenges
     where status = any(${OPEN_CHALLENGE}::text[])
       ${scope.areaId ? sql`and area_id = ${scope.areaId}` : sql``}
       ${scope.agencyId ? sql`and raiser_agency_id = ${scope.agencyId}` : sql``}
     group by 1, 2`.execute(db);
  return rows.rows;
}

/**
 * Challenges raised in the period, by category and by raising agency (and in
 * all): raised, resolved, resolved by a changed decision, and the median whole
 * days from raised to resolved.
 */
export async function challengeOutcomeCounts(db: Database, scope: { from: Date; to: Date; areaId: number; agencyId: number }) {
  const rows = await sql<{
    by: "category" | "agency" | "all";
    name: string | null;
    raised: number;
    resolved: number;
    changed: number;
    median: number | null;
  }>`
    select case when grouping(c.category) = 0 then 'category' when grouping(g.name) = 0 then 'agency' else 'all' end as by,
           coalesce(c.category, g.name) as name,
           count(*)::int as raised,
           count(*) filter (where c.status = 'resolved')::int as resolved,
           count(*) filter (where c.status = 'resolved' and c.resolution = 'decision_changed')::int as changed,
           percentile_disc(0.5) within group (order by floor(extract(epoch from (c.closed_at - c.created_at)) / 86400))
             filter (where c.status = 'resolved' and c.closed_at is not null) as median
      from challenges c join agencies g on g.id = c.raiser_agency_id
     where c.created_at >= ${scope.from} and c.created_at < ${scope.to}
       ${scope.areaId ? sql`and c.area_id = ${scope.areaId}` : sql``}
       ${scope.agencyId ? sql`and c.raiser_agency_id = ${scope.agencyId}` : sql``}
     group by grouping sets ((c.category), (g.name), ())`.execute(db);
  return rows.rows.map((r) => ({ ...r, median: r.median === null ? null : Number(r.median) }));
}

/** Decided requests in the period, for the returns CSV, with what the census needs. */
export function decidedRequestsForReturn(db: Database, scope: InsightScope) {
  let query = db
    .selectFrom("insight_request_facts as f")
    .innerJoin("cases", "cases.id", "f.case_id")
    .innerJoin("agencies", "agencies.id", "f.agency_id")
    .innerJoin("areas", "areas.id", "f.area_id")
    .innerJoin("requests", "requests.id", "f.request_id")
    .select([
      "f.request_id",
      "cases.reference",
      // The census's codes for the child, as the requester gave them.
      sql<string | null>`requests.answers ->> 'ethnicity'`.as("ethnicity"),
      sql<unknown>`requests.answers -> 'disabilities[]'`.as("disabilities"),
      "areas.name as area",
      "agencies.name as agency",
      "agencies.kind as agency_kind",
      "f.kind",
      "f.outcome",
      "f.decided_on",
      "f.panel_kind",
    ])
    .where("f.month", ">=", scope.fromMonth)
    .where("f.month", "<=", scope.toMonth)
    .orderBy("f.decided_on")
    .orderBy("f.request_id");
  if (scope.areaId) query = query.where("f.area_id", "=", scope.areaId);
  if (scope.agencyId) query = query.where("f.agency_id", "=", scope.agencyId);
  return query.execute();
}

/** Every move of the cases in scope through the journey, in order, for the early help episodes export. */
export function caseMovesForEpisodes(db: Database, scope: { areaId: number; to: Date }) {
  let query = db
    .selectFrom("case_transitions as t")
    .innerJoin("cases", "cases.id", "t.case_id")
    .innerJoin("areas", "areas.id", "cases.area_id")
    .select(["t.id", "t.case_id", "t.at", "t.from_status", "t.to_status", "cases.reference", "cases.case_system_id", "areas.name as area"])
    .where("t.at", "<", scope.to)
    .orderBy("t.case_id")
    .orderBy("t.at")
    .orderBy("t.id");
  if (scope.areaId) query = query.where("cases.area_id", "=", scope.areaId);
  return query.execute();
}
