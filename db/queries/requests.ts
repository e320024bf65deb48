import { sql } from "kysely";
import type { Database } from "../connect";
import type { RequestKind, RequestStatus } from "../schema";
import { caseVisibleTo, type Viewer } from "./cases";

export function insertDraftRequest(
  db: Database,
  r: { kind: RequestKind; userId: number; agencyId: number; areaId: number | null; at: Date; answers?: Record<string, unknown> },
) {
  return db
    .insertInto("requests")
    .values({
      kind: r.kind,
      answers: JSON.stringify(r.answers ?? {}),
      status: "draft",
      submitted_by_user_id: r.userId,
      agency_id: r.agencyId,
      area_id: r.areaId,
      created_at: r.at,
      updated_at: r.at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

const requestColumns = [
  "requests.id",
  "requests.case_id",
  "requests.kind",
  "requests.status",
  "requests.area_id",
  "requests.submitted_by_user_id",
  "requests.agency_id",
  "requests.answers",
  "requests.bounce_back",
  "requests.version",
  "requests.created_at",
  "requests.updated_at",
  "requests.submitted_at",
] as const;

/** A request its submitter may work on. */
export function findOwnRequest(db: Database, userId: number, id: number, options: { lock?: boolean } = {}) {
  let query = db
    .selectFrom("requests")
    .select(requestColumns)
    .where("requests.id", "=", id)
    .where("requests.submitted_by_user_id", "=", userId);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export function findRequestById(db: Database, id: number) {
  return db.selectFrom("requests").select(requestColumns).where("requests.id", "=", id).executeTakeFirst();
}

/** Deletes one of a person's unsent drafts. */
export function deleteDraft(db: Database, userId: number, id: number) {
  return db.deleteFrom("requests").where("id", "=", id).where("submitted_by_user_id", "=", userId).where("status", "=", "draft").execute();
}

/** Deletes drafts left unsent since before `before`; their ids and owners, for the audit trail. */
export function deleteStaleDrafts(db: Database, before: Date) {
  return db
    .deleteFrom("requests")
    .where("status", "=", "draft")
    .where("updated_at", "<", before)
    .returning(["id", "kind", "submitted_by_user_id"])
    .execute();
}

/** Records which cases a request's child may already be, for the chair to check. */
export function setPossibleMatches(db: Database, id: number, caseIds: number[]) {
  return db
    .updateTable("requests")
    .set({ possible_match_case_ids: JSON.stringify(caseIds) })
    .where("id", "=", id)
    .execute();
}

/** Merges answers into a draft: what was typed is kept even when it does not yet validate. */
export function mergeDraftAnswers(db: Database, id: number, answers: Record<string, unknown>, at: Date) {
  return db
    .updateTable("requests")
    .set({
      answers: sql`answers || ${JSON.stringify(answers)}::jsonb`,
      updated_at: at,
      version: sql`version + 1`,
    })
    .where("id", "=", id)
    .where("status", "=", "draft")
    .execute();
}

export function updateRequest(
  db: Database,
  id: number,
  changes: {
    status?: RequestStatus;
    caseId?: number;
    areaId?: number;
    submittedAt?: Date;
    bounceBack?: boolean;
    at: Date;
  },
) {
  return db
    .updateTable("requests")
    .set({
      ...(changes.status ? { status: changes.status } : {}),
      ...(changes.caseId ? { case_id: changes.caseId } : {}),
      ...(changes.areaId ? { area_id: changes.areaId } : {}),
      ...(changes.submittedAt ? { submitted_at: changes.submittedAt } : {}),
      ...(changes.bounceBack !== undefined ? { bounce_back: changes.bounceBack } : {}),
      updated_at: changes.at,
      version: sql`version + 1`,
    })
    .where("id", "=", id)
    .execute();
}

export function openRequestForCase(db: Database, caseId: number) {
  return db
    .selectFrom("requests")
    .select(requestColumns)
    .where("case_id", "=", caseId)
    .where("status", "=", "awaiting_panel")
    .executeTakeFirst();
}

/** "My submissions": every request the person made, newest change first. */
export function listSubmissions(db: Database, userId: number) {
  return (
    db
      .selectFrom("requests")
      .leftJoin("cases", "cases.id", "requests.case_id")
      // The panel the request is on now, if any (at most one listed agenda item per request).
      .leftJoin("agenda_items", (join) =>
        join.onRef("agenda_items.request_id", "=", "requests.id").on("agenda_items.status", "=", "listed"),
      )
      .leftJoin("panels", "panels.id", "agenda_items.panel_id")
      .select([
        "requests.id",
        "requests.kind",
        "requests.status",
        "requests.bounce_back",
        "requests.updated_at",
        "requests.submitted_at",
        "cases.reference",
        "cases.status as case_status",
        // The person asked about these children: their names are theirs to see.
        "cases.child_first_name",
        "cases.child_last_name",
        // A draft is named by what was typed into it.
        sql<Record<string, unknown> | null>`case when requests.status = 'draft' then requests.answers end`.as("draft_answers"),
        "panels.id as panel_id",
        "panels.starts_at as panel_starts_at",
      ])
      .where("requests.submitted_by_user_id", "=", userId)
      .orderBy("requests.updated_at", "desc")
      .orderBy("requests.id", "desc")
      .execute()
  );
}

/** Requests waiting for a panel, scoped to what the viewer may see. */
export function listAwaitingPanel(db: Database, viewer: Viewer) {
  return db
    .selectFrom("requests")
    .innerJoin("cases", "cases.id", "requests.case_id")
    .innerJoin("areas", "areas.id", "requests.area_id")
    .innerJoin("agencies", "agencies.id", "requests.agency_id")
    .innerJoin("users", "users.id", "requests.submitted_by_user_id")
    .select([
      "requests.id",
      "requests.kind",
      "requests.bounce_back",
      "requests.submitted_at",
      "cases.reference",
      // Only cases the viewer may see are listed: their children's names are theirs to read.
      "cases.child_first_name",
      "cases.child_last_name",
      "areas.name as area_name",
      "agencies.name as agency_name",
      "users.name as submitted_by",
    ])
    .where("requests.status", "=", "awaiting_panel")
    .where(caseVisibleTo(viewer))
    .orderBy("requests.submitted_at")
    .execute();
}

export function listRequestsForCase(db: Database, caseId: number) {
  return db
    .selectFrom("requests")
    .innerJoin("users", "users.id", "requests.submitted_by_user_id")
    .innerJoin("agencies", "agencies.id", "requests.agency_id")
    .select([
      "requests.id",
      "requests.kind",
      "requests.status",
      "requests.answers",
      "requests.bounce_back",
      "requests.submitted_at",
      "requests.submitted_by_user_id",
      "users.name as submitted_by",
      "agencies.name as agency_name",
    ])
    .where("requests.case_id", "=", caseId)
    .where("requests.status", "<>", "draft")
    .orderBy("requests.submitted_at", "desc")
    .execute();
}

/** Requests waiting in an area that are on no agenda (they came before the area had panels). */
export function listUnplacedRequests(db: Database, areaId: number) {
  return (
    db
      .selectFrom("requests")
      .select(["id", "case_id", "submitted_at"])
      .where("area_id", "=", areaId)
      .where("status", "=", "awaiting_panel")
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("agenda_items")
              .select("agenda_items.id")
              .whereRef("agenda_items.request_id", "=", "requests.id")
              .where("agenda_items.status", "=", "listed"),
          ),
        ),
      )
      // A request whose requester is answering the chair's question waits for the answer.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("request_questions")
              .select("request_questions.id")
              .whereRef("request_questions.request_id", "=", "requests.id")
              .where("answered_at", "is", null),
          ),
        ),
      )
      .orderBy("submitted_at")
      .execute()
  );
}

/** What the requesters wrote, for several requests at once (the chairing page's items). */
export function listRequestAnswers(db: Database, requestIds: number[]) {
  if (!requestIds.length) return Promise.resolve([]);
  return db.selectFrom("requests").select(["id", "answers"]).where("id", "in", requestIds).execute();
}
