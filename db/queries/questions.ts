import { sql } from "kysely";
import type { Database } from "../connect";

/** The chair's question to a request's requester, asked before the panel. */
export async function insertQuestion(db: Database, q: { requestId: number; panelId: number; askedBy: number; question: string; at: Date }) {
  return db
    .insertInto("request_questions")
    .values({ request_id: q.requestId, panel_id: q.panelId, asked_by_user_id: q.askedBy, question: q.question, asked_at: q.at })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/** A request's questions and answers, oldest first, with who asked and who answered. */
export function listQuestions(db: Database, requestIds: number[]) {
  if (!requestIds.length) return Promise.resolve([]);
  return db
    .selectFrom("request_questions")
    .innerJoin("users as asker", "asker.id", "request_questions.asked_by_user_id")
    .leftJoin("users as answerer", "answerer.id", "request_questions.answered_by_user_id")
    .select([
      "request_questions.id",
      "request_questions.request_id",
      "request_questions.panel_id",
      "request_questions.question",
      "request_questions.asked_at",
      "request_questions.answer",
      "request_questions.answered_at",
      "asker.name as asked_by",
      "answerer.name as answered_by",
    ])
    .where("request_questions.request_id", "in", requestIds)
    .orderBy("request_questions.id")
    .execute();
}

/** The open question on a request, locked for its answer. */
export function lockOpenQuestion(db: Database, requestId: number) {
  return db
    .selectFrom("request_questions")
    .selectAll()
    .where("request_id", "=", requestId)
    .where("answered_at", "is", null)
    .forUpdate()
    .executeTakeFirst();
}

export function answerQuestion(db: Database, id: number, a: { answer: string; by: number; at: Date }) {
  return db
    .updateTable("request_questions")
    .set({ answer: a.answer, answered_by_user_id: a.by, answered_at: a.at })
    .where("id", "=", id)
    .execute();
}

/** Questions waiting for their requester's answer, for the requester's own list. */
export function listOpenQuestionsFor(db: Database, userId: number) {
  return db
    .selectFrom("request_questions")
    .innerJoin("requests", "requests.id", "request_questions.request_id")
    .select(["request_questions.request_id", "request_questions.asked_at"])
    .where("requests.submitted_by_user_id", "=", userId)
    .where("request_questions.answered_at", "is", null)
    .execute();
}

/**
 * Questions the chair asked requesters before a panel, asked in the period:
 * how many, how many answered and still waiting, and the median and longest
 * time to an answer in whole hours.
 */
export async function questionTimes(db: Database, scope: { from: Date; to: Date; areaId: number }) {
  const result = await sql<{ asked: number; answered: number; waiting: number; median_hours: number | null; longest_hours: number | null }>`
    select count(*)::int as asked,
           count(q.answered_at)::int as answered,
           (count(*) - count(q.answered_at))::int as waiting,
           round((percentile_cont(0.5) within group (order by extract(epoch from q.answered_at - q.asked_at)) / 3600)::numeric, 1)::float8 as median_hours,
           round((max(extract(epoch from q.answered_at - q.asked_at)) / 3600)::numeric, 1)::float8 as longest_hours
      from request_questions q
      join panels p on p.id = q.panel_id
     where q.asked_at >= ${scope.from} and q.asked_at < ${scope.to}
       ${scope.areaId ? sql`and p.area_id = ${scope.areaId}` : sql``}`.execute(db);
  return result.rows[0] ?? { asked: 0, answered: 0, waiting: 0, median_hours: null, longest_hours: null };
}
