import { sql } from "kysely";
import type { Database } from "../connect";
import { HANDOVER_WITHDRAWN } from "./actions";
import type { EngagementOutcome } from "../schema";

/** The review recorded for a step-down decision, if there is one. */
export function findEngagementReview(db: Database, decisionId: number) {
  return db
    .selectFrom("engagement_reviews")
    .innerJoin("users", "users.id", "engagement_reviews.recorded_by_user_id")
    .select([
      "engagement_reviews.outcome",
      "engagement_reviews.reason",
      "engagement_reviews.reviewed_on",
      "engagement_reviews.recorded_at",
      "users.name as recorded_by",
    ])
    .where("engagement_reviews.decision_id", "=", decisionId)
    .executeTakeFirst();
}

/** Records the review, or replaces the one recorded before. */
export function saveEngagementReview(
  db: Database,
  row: { caseId: number; decisionId: number; outcome: EngagementOutcome; reason: string; reviewedOn: string; by: number; at: Date },
) {
  const values = {
    outcome: row.outcome,
    reason: row.reason,
    reviewed_on: row.reviewedOn,
    recorded_by_user_id: row.by,
    recorded_at: row.at,
  };
  return db
    .insertInto("engagement_reviews")
    .values({ case_id: row.caseId, decision_id: row.decisionId, ...values })
    .onConflict((oc) => oc.column("decision_id").doUpdateSet(values))
    .execute();
}

/** Reviews of step downs decided in the period, counted by how the family engaged. */
export async function engagementCounts(db: Database, scope: { from: Date; to: Date; areaId: number }) {
  const rows = await sql<{ outcome: EngagementOutcome; n: number }>`
    select r.outcome, count(*)::int as n
      from engagement_reviews r
      join decisions d on d.id = r.decision_id
      join cases c on c.id = r.case_id
     where d.decided_at >= ${scope.from} and d.decided_at < ${scope.to}
       ${scope.areaId ? sql`and c.area_id = ${scope.areaId}` : sql``}
     group by r.outcome`.execute(db);
  return rows.rows;
}

/** Every review recorded on a case, for its subject-access record. */
export function listEngagementReviews(db: Database, caseId: number) {
  return db
    .selectFrom("engagement_reviews")
    .select(["id", "outcome", "reason", "reviewed_on"])
    .where("case_id", "=", caseId)
    .orderBy("reviewed_on")
    .execute();
}

/**
 * The hand-over steps started in the period (naming the lead practitioner, the
 * transfer meeting or joint visit): how many were done by their due date, done
 * late, and are overdue today.
 */
export async function handoverTimeliness(db: Database, scope: { from: Date; to: Date; areaId: number; today: string }) {
  const rows = await sql<{ step: "name_lead" | "transfer"; started: number; on_time: number; late: number; overdue: number }>`
    select a.handover as step,
           count(*)::int as started,
           (count(*) filter (where a.status = 'done' and (a.done_at at time zone 'Europe/London')::date <= a.due_date))::int as on_time,
           (count(*) filter (where a.status = 'done' and (a.done_at at time zone 'Europe/London')::date > a.due_date))::int as late,
           (count(*) filter (where a.status = 'open' and a.due_date < ${scope.today}::date))::int as overdue
      from actions a
      join cases c on c.id = a.case_id
     where a.handover is not null and a.created_at >= ${scope.from} and a.created_at < ${scope.to}
       and a.done_note is distinct from ${HANDOVER_WITHDRAWN}
       ${scope.areaId ? sql`and c.area_id = ${scope.areaId}` : sql``}
     group by a.handover`.execute(db);
  return rows.rows;
}
