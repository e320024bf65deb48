/**
 * npm run bench:seed-insight: a database the size of a large council's five
 * years, for measuring the insight dashboard (not run by npm test).
 *
 *   1,000,000 cases, 10,000,000+ journey transitions, 200,000 requests with
 *   their decisions (some deferred, some corrected, some challenged), 5 years
 *   of fortnightly panels in 10 areas with extraordinary panels between.
 *
 * Written with INSERT … SELECT in the database (chunked, so the embedded
 * database's memory stays bounded), then the insight summary tables built once.
 * Target: BENCH_INSIGHT_DATABASE_URL (PostgreSQL), else the embedded database
 * in BENCH_INSIGHT_DATA_DIR (default .data/bench-insight). Refuses a database
 * that already has cases. BENCH_INSIGHT_CASES scales it down for a quick look.
 */
import { sql } from "kysely";
import { connectDatabase } from "../db/connect";
import type { Database } from "../db/connect";
import { migrateToLatest } from "../db/migrate";
import { systemClock } from "../app/lib/clock";
import { refreshInsight } from "../app/services/insight.server";

const CASES = Number(process.env.BENCH_INSIGHT_CASES ?? 1_000_000);
const REQUEST_EVERY = 9; // every ninth case has requests, most of them two: 200,000+ at full size
const FILLER_TRANSITIONS = 10; // per case without requests: closures and reopenings
const CHUNK = 50_000;
const AREAS = 10;

export const BENCH_INSIGHT_DATA_DIR = process.env.BENCH_INSIGHT_DATA_DIR ?? ".data/bench-insight";

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  console.log(`${label.padEnd(44)} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function chunks(total: number, work: (from: number, to: number) => Promise<unknown>) {
  for (let from = 1; from <= total; from += CHUNK) await work(from, Math.min(total, from + CHUNK - 1));
}

/** A stable pseudo-random number in [0, 1) from an integer expression, in SQL. */
const hash = (expr: string, salt: number) => sql.raw(`((abs(hashint4((${expr}) * 7919 + ${salt})::bigint) % 100000) / 100000.0)`);

export async function seedInsightBench(db: Database) {
  const existing = await db.selectFrom("cases").select("id").limit(1).executeTakeFirst();
  if (existing)
    throw new Error(
      "This database already has cases: the insight benchmark needs its own (set BENCH_INSIGHT_DATA_DIR or BENCH_INSIGHT_DATABASE_URL).",
    );
  const now = new Date();
  const start = new Date(now.getTime() - 5 * 365.25 * 86_400_000);
  await timed("organisation: 10 areas, 7 agencies, users", async () => {
    await sql`insert into areas (name) select 'Bench area ' || a from generate_series(1, ${AREAS}::int) a`.execute(db);
    await sql`insert into agencies (name, kind) values
      ('Bench school', 'education'), ('Bench health', 'health'), ('Bench police', 'police'), ('Bench early help', 'early_help'),
      ('Bench social care', 'childrens_social_care'), ('Bench volunteers', 'volunteer_family_support'), ('Bench other', 'other')`.execute(
      db,
    );
    await sql`insert into users (name, email, role, agency_id, area_id, all_areas, updated_at)
      select 'Bench chair ' || a.id, 'bench.chair.' || a.id || '@example.org', 'team_manager',
             (select id from agencies where name = 'Bench social care'), a.id, false, now() from areas a`.execute(db);
    await sql`insert into users (name, email, role, agency_id, area_id, all_areas, updated_at)
      select 'Bench ' || g.kind, 'bench.' || g.kind || '@example.org', 'professional', g.id, null, false, now() from agencies g`.execute(
      db,
    );
    await sql`insert into users (name, email, role, agency_id, area_id, all_areas, updated_at)
      values ('Bench service manager', 'bench.service.manager@example.org', 'service_manager',
              (select id from agencies where name = 'Bench social care'), null, true, now())`.execute(db);
  });
  await timed("panels: 5 years fortnightly x 10 areas, extraordinary", async () => {
    const panelValues = (kind: string, offsetDays: number, hour: number, every: number) => sql`
      insert into panels (area_id, kind, status, lifecycle, meeting_date, starts_at, ends_at, cutoff_at, chair_user_id, created_at, updated_at)
      select a.id, ${kind},
             case when ${kind} = 'routine' and (k + a.id) % 23 = 7 then 'cancelled' else 'minutes_published' end,
             '{"cancelledReason": null, "concludedAt": null, "publishedAt": null}'::jsonb,
             (${start}::date + k * 14 + ${offsetDays}::int),
             ((${start}::date + k * 14 + ${offsetDays}::int)::timestamp + make_interval(hours => ${hour}::int)) at time zone 'Europe/London',
             ((${start}::date + k * 14 + ${offsetDays}::int)::timestamp + make_interval(hours => ${hour + 2}::int)) at time zone 'Europe/London',
             ((${start}::date + k * 14 + ${offsetDays}::int - 7)::timestamp + make_interval(hours => 16)) at time zone 'Europe/London',
             (select id from users where email = 'bench.chair.' || a.id || '@example.org'),
             now(), now()
        from areas a cross join generate_series(0, 129) k
       where (k + a.id) % ${every}::int = 0 and (${start}::date + k * 14 + ${offsetDays}::int) < ${now}::date`;
    await panelValues("routine", 0, 10, 1).execute(db);
    await panelValues("extraordinary", 9, 14, 9).execute(db);
    await sql`insert into panel_attendees (panel_id, user_id, role, attendance)
      select p.id, p.chair_user_id, 'chair', 'in_person' from panels p where p.status <> 'cancelled'`.execute(db);
    await sql`insert into panel_attendees (panel_id, user_id, role, attendance)
      select p.id, u.id, 'core', case when ${hash("p.id + u.id", 1)} < 0.8 then 'online' else 'apologies' end
        from panels p join users u on u.email in ('bench.early_help@example.org', 'bench.health@example.org', 'bench.volunteer_family_support@example.org')
       where p.status <> 'cancelled'`.execute(db);
  });
  await timed(`cases: ${CASES.toLocaleString("en-GB")}`, () =>
    chunks(CASES, (from, to) =>
      sql`insert into cases (reference, area_id, status, journey, machine_version, created_by_user_id, created_at, updated_at)
        select 'BENCH-' || lpad(i::text, 7, '0'), (select min(id) from areas) + (i % ${AREAS}::int),
               case when i % ${REQUEST_EVERY}::int = 0 and (i / ${REQUEST_EVERY}::int) % 2 = 0 then 'social_care' else 'early_help' end,
               '{"version": 1, "value": "early_help", "context": {"returnTo": null, "openRequest": null, "lastSteppedDownAt": null, "closedReason": null}}'::jsonb,
               1, (select min(id) from users), ${start}::timestamptz + (i % 1700) * interval '1 day', now()
          from generate_series(${from}::int, ${to}::int) i`.execute(db),
    ),
  );
  await timed("first requests: one per ninth case", () =>
    chunks(CASES, (from, to) =>
      sql`insert into requests (case_id, kind, status, area_id, submitted_by_user_id, agency_id, answers, created_at, updated_at, submitted_at)
        select c.id, case when c.status = 'social_care' then 'step_down' else 'step_up' end, 'decided', c.area_id,
               (select min(id) from users),
               case when c.status = 'social_care' then (select id from agencies where name = 'Bench social care')
                    else (select min(id) from agencies) + (c.id % 4) end,
               '{"bench": true}'::jsonb, c.created_at, c.created_at, c.created_at + interval '2 hours'
          from cases c where c.id between ${from}::int and ${to}::int and c.id % ${REQUEST_EVERY}::int = 0`.execute(db),
    ),
  );
  const decide = (which: "first" | "second") =>
    sql`with r as (
          select r.id, r.case_id, r.kind, r.area_id, r.submitted_at,
                 ${hash("r.id", 2)} as roll, ${hash("r.id", 3)} as defer
            from requests r
           where r.status = 'decided' and not exists (select 1 from decisions d where d.request_id = r.id)
             and ${which === "first" ? sql`true` : sql`r.answers @> '{"second": true}'`}
        ),
        heard as (
          select r.*, p1.id as p1, p1.starts_at as p1_at, p2.id as p2, p2.starts_at as p2_at
            from r
            join lateral (select id, starts_at from panels where area_id = r.area_id and status <> 'cancelled'
                            and starts_at > r.submitted_at + interval '7 days' and (kind = 'routine' or r.kind = 'step_down')
                          order by starts_at limit 1) p1 on true
            left join lateral (select id, starts_at from panels where area_id = r.area_id and status <> 'cancelled' and kind = 'routine'
                            and starts_at > p1.starts_at order by starts_at limit 1) p2 on true
        ),
        deferred as (
          insert into decisions (request_id, case_id, outcome, reasons, risk_holder, decided_by_user_id, decided_at, panel_id)
          select id, case_id, 'deferred', 'More information needed', 'Chair', (select min(id) from users), p1_at + interval '30 minutes', p1
            from heard where defer < 0.08 and p2 is not null
          returning 1
        )
        insert into decisions (request_id, case_id, outcome, reasons, risk_holder, decided_by_user_id, decided_at, panel_id, transfer_date)
        select id, case_id,
               case when kind = 'step_up' then (case when roll < 0.6 then 'step_up_agreed' when roll < 0.85 then 'not_agreed' else 'signposted' end)
                    else (case when roll < 0.5 then 'step_down_agreed_early_help' when roll < 0.75 then 'step_down_agreed_volunteer_support' else 'not_agreed' end) end,
               'Recorded at the panel', 'Chair', (select min(id) from users),
               (case when defer < 0.08 and p2 is not null then p2_at else p1_at end) + interval '45 minutes',
               case when defer < 0.08 and p2 is not null then p2 else p1 end,
               case when kind = 'step_down' and roll < 0.7 then ((case when defer < 0.08 and p2 is not null then p2_at else p1_at end)::date + 7 + (id % 14)) end
          from heard`;
  await timed("first decisions (8% deferred once)", () => decide("first").execute(db));
  // Requests that found no panel before today wait for one.
  await sql`update requests set status = 'awaiting_panel' where status = 'decided' and not exists (select 1 from decisions d where d.request_id = requests.id)`.execute(
    db,
  );
  await timed("second requests: back across the threshold, or again", () =>
    sql`insert into requests (case_id, kind, status, area_id, submitted_by_user_id, agency_id, answers, created_at, updated_at, submitted_at)
      select d.case_id,
             case when d.outcome in ('step_up_agreed') then 'step_down'
                  when d.outcome like 'step_down_agreed%' then 'step_up'
                  else r.kind end,
             'decided', r.area_id, r.submitted_by_user_id,
             case when d.outcome = 'step_up_agreed' or (d.outcome not like 'step_down_agreed%' and r.kind = 'step_down')
                  then (select id from agencies where name = 'Bench social care') else (select min(id) from agencies) + (d.case_id % 4) end,
             '{"bench": true, "second": true}'::jsonb,
             d.decided_at + (20 + d.id % 380) * interval '1 day', d.decided_at + (20 + d.id % 380) * interval '1 day',
             d.decided_at + (20 + d.id % 380) * interval '1 day'
        from decisions d join requests r on r.id = d.request_id
       where d.outcome <> 'deferred' and d.decided_at + (20 + d.id % 380) * interval '1 day' < ${now}`.execute(db),
  );
  await timed("second decisions", () => decide("second").execute(db));
  await sql`update requests set status = 'awaiting_panel' where status = 'decided' and not exists (select 1 from decisions d where d.request_id = requests.id)`.execute(
    db,
  );
  await timed("journey transitions: requests and decisions", async () => {
    await sql`insert into case_transitions (case_id, at, event, from_status, to_status, request_id)
      select r.case_id, r.submitted_at, case r.kind when 'step_up' then 'REQUEST_STEP_UP' else 'REQUEST_STEP_DOWN' end,
             case r.kind when 'step_up' then 'early_help' else 'social_care' end,
             case r.kind when 'step_up' then 'step_up_requested' else 'step_down_requested' end, r.id
        from requests r`.execute(db);
    await sql`insert into case_transitions (case_id, at, event, from_status, to_status, request_id)
      select d.case_id, d.decided_at, 'PANEL_DECISION', case r.kind when 'step_up' then 'step_up_requested' else 'step_down_requested' end,
             case when d.outcome = 'step_up_agreed' then 'social_care'
                  when d.outcome = 'step_down_agreed_early_help' then 'early_help'
                  when d.outcome = 'step_down_agreed_volunteer_support' then 'volunteer_support'
                  when r.kind = 'step_up' then 'early_help' else 'social_care' end, d.request_id
        from decisions d join requests r on r.id = d.request_id where d.outcome <> 'deferred'`.execute(db);
  });
  await timed("journey transitions: created, closed and reopened", () =>
    chunks(CASES, async (from, to) => {
      await sql`insert into case_transitions (case_id, at, event, from_status, to_status)
        select c.id, c.created_at, 'CREATED', null, c.status from cases c where c.id between ${from}::int and ${to}::int`.execute(db);
      await sql`insert into case_transitions (case_id, at, event, from_status, to_status)
        select c.id, c.created_at + n * interval '17 days',
               case when n % 2 = 1 then 'CLOSE' else 'REOPEN' end,
               case when n % 2 = 1 then 'early_help' else 'closed' end,
               case when n % 2 = 1 then 'closed' else 'early_help' end
          from cases c cross join generate_series(1, ${FILLER_TRANSITIONS}::int) n
         where c.id between ${from}::int and ${to}::int
           and not exists (select 1 from requests r where r.case_id = c.id)`.execute(db);
    }),
  );
  await timed("corrections, challenges and actions", async () => {
    // One settled decision in 200 corrected a fortnight later (its panel's date stays the decision's).
    await sql`with picked as (
        select d.* from decisions d where d.outcome = 'not_agreed' and d.id % 200 = 0 and d.superseded_by_decision_id is null),
      corrected as (
        insert into decisions (request_id, case_id, outcome, reasons, risk_holder, decided_by_user_id, decided_at, panel_id, corrects_decision_id, correction_reason)
        select request_id, case_id, 'signposted', 'Corrected', 'Chair', decided_by_user_id, decided_at + interval '14 days', panel_id, id, 'Recorded wrongly'
          from picked returning id, corrects_decision_id)
      update decisions set superseded_by_decision_id = corrected.id from corrected where decisions.id = corrected.corrects_decision_id`.execute(
      db,
    );
    await sql`insert into challenges (case_id, decision_id, panel_id, area_id, raised_by_user_id, raiser_agency_id, respondent_user_id,
        disagreement, category, reason, risk_holder, status, stage, machine, resolution, created_at, updated_at, closed_at)
      select d.case_id, d.id, d.panel_id, r.area_id, r.submitted_by_user_id, r.agency_id, d.decided_by_user_id,
             'Disagreed', (array['threshold', 'risk', 'information', 'capacity', 'other'])[1 + d.id % 5], 'Bench', 'Chair',
             case when d.decided_at > now() - interval '30 days' then 'stage1' else 'resolved' end, 1,
             '{"version": 1, "value": "resolved", "context": {"stage": 1, "deadline": null, "overdue": false, "resolution": "decision_upheld", "closedReason": "Bench"}}'::jsonb,
             case when d.decided_at > now() - interval '30 days' then null
                  else (array['decision_upheld', 'decision_changed', 'agreed_alternative'])[1 + d.id % 3] end,
             d.decided_at + interval '2 days', d.decided_at + interval '20 days',
             case when d.decided_at > now() - interval '30 days' then null else d.decided_at + (3 + d.id % 30) * interval '1 day' end
        from decisions d join requests r on r.id = d.request_id
       where d.outcome <> 'deferred' and d.superseded_by_decision_id is null and d.id % 20 = 3`.execute(db);
    await sql`insert into actions (case_id, panel_id, description, owner_user_id, due_date, status, created_by_user_id, created_at)
      select d.case_id, d.panel_id, 'Bench action', (select min(id) from users) + d.id % 7, (d.decided_at + interval '28 days')::date,
             case when d.decided_at < now() - interval '90 days' then 'done' else 'open' end, d.decided_by_user_id, d.decided_at
        from decisions d where d.outcome <> 'deferred'`.execute(db);
  });
  await timed("case status after the last transition", () =>
    sql`update cases c set status = t.to_status
          from (select distinct on (case_id) case_id, to_status from case_transitions order by case_id, at desc, id desc) t
         where t.case_id = c.id and c.status is distinct from t.to_status`.execute(db),
  );
  await timed("analyse", () => sql`analyze`.execute(db));
  const refresh = await timed("insight summary tables, built once", () => refreshInsight({ db, clock: systemClock }, { full: true }));
  const counts = await sql<Record<string, number>>`select
      (select count(*) from cases) as cases, (select count(*) from case_transitions) as transitions,
      (select count(*) from requests) as requests, (select count(*) from decisions) as decisions,
      (select count(*) from panels) as panels, (select count(*) from challenges) as challenges,
      (select count(*) from insight_request_facts) as facts, (select count(*) from insight_monthly) as monthly_rows,
      (select count(*) from insight_durations) as duration_rows`.execute(db);
  console.log(counts.rows[0], refresh);
}

async function main() {
  const databaseUrl = process.env.BENCH_INSIGHT_DATABASE_URL;
  const connection = await connectDatabase(databaseUrl ? { databaseUrl } : { dataDir: BENCH_INSIGHT_DATA_DIR });
  console.log(`Seeding the insight benchmark on ${databaseUrl ? "PostgreSQL" : `the embedded database in ${BENCH_INSIGHT_DATA_DIR}`}`);
  try {
    await migrateToLatest(connection.db);
    await timed("whole seed", () => seedInsightBench(connection.db));
  } finally {
    await connection.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
