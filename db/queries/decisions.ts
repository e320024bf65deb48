import { sql } from "kysely";
import type { Database } from "../connect";

export function listPanelDecisions(db: Database, panelId: number) {
  return (
    db
      .selectFrom("decisions")
      .innerJoin("users", "users.id", "decisions.decided_by_user_id")
      .leftJoin("decisions as previous", "previous.id", "decisions.corrects_decision_id")
      .select([
        "decisions.id",
        "decisions.correction_reason",
        "previous.outcome as previous_outcome",
        "decisions.agenda_item_id",
        "decisions.request_id",
        "decisions.outcome",
        "decisions.reasons",
        "decisions.risk_holder",
        "decisions.discussion",
        "decisions.lead_practitioner",
        "decisions.transfer_date",
        "decisions.review_date",
        "decisions.challenge",
        "decisions.decided_at",
        "users.name as decided_by",
      ])
      .where("decisions.panel_id", "=", panelId)
      // A corrected decision stays in the history; the panel works with the correction.
      .where("decisions.superseded_by_decision_id", "is", null)
      .execute()
  );
}

/** Who made a decision (a challenge must reach someone else). */
export async function findDecisionMakerId(db: Database, decisionId: number) {
  const row = await db.selectFrom("decisions").select("decided_by_user_id").where("id", "=", decisionId).executeTakeFirst();
  return row?.decided_by_user_id ?? null;
}

/** A decision with what correcting it needs: its case, request and panel. */
export function findDecisionForCorrection(db: Database, id: number) {
  return db
    .selectFrom("decisions")
    .innerJoin("cases", "cases.id", "decisions.case_id")
    .innerJoin("requests", "requests.id", "decisions.request_id")
    .leftJoin("panels", "panels.id", "decisions.panel_id")
    .selectAll("decisions")
    .select([
      "cases.reference",
      "cases.area_id",
      "cases.status as case_status",
      "cases.version as case_version",
      "requests.kind",
      "requests.submitted_by_user_id",
      "panels.status as panel_status",
      "panels.chair_user_id as panel_chair_user_id",
    ])
    .where("decisions.id", "=", id)
    .executeTakeFirst();
}

/** Where the case was before a request moved it (the service it returns to when the request is not agreed). */
export async function findStateBeforeRequest(db: Database, requestId: number) {
  const row = await db
    .selectFrom("case_transitions")
    .select("from_status")
    .where("request_id", "=", requestId)
    .where("to_status", "in", ["step_up_requested", "step_down_requested"])
    .orderBy("id")
    .executeTakeFirst();
  return row?.from_status ?? null;
}

/** Marks a decision as replaced by its correction. */
export async function supersedeDecision(db: Database, id: number, by: number) {
  await db.updateTable("decisions").set({ superseded_by_decision_id: by }).where("id", "=", id).execute();
}

/** Who was emailed about a decision (the people a correction must reach). */
export async function listToldOfDecision(db: Database, decisionId: number) {
  const rows = await db
    .selectFrom("outbox")
    .select("recipient")
    .distinct()
    .where("idempotency_key", "like", `decision:${decisionId}:%`)
    .where("kind", "in", ["decision_recorded", "transfer_notice", "decision_corrected"])
    .execute();
  return rows.map((r) => r.recipient);
}

/**
 * A person's recent panel decisions: on requests they made, decisions they
 * recorded, panels they were invited to whole, or items they were invited to
 * discuss. Latest decisions only (a corrected one shows as its correction).
 */
export function listRecentDecisionsFor(db: Database, userId: number, since: Date, limit = 5) {
  return db
    .selectFrom("decisions")
    .innerJoin("cases", "cases.id", "decisions.case_id")
    .innerJoin("requests", "requests.id", "decisions.request_id")
    .leftJoin("agenda_items", "agenda_items.id", "decisions.agenda_item_id")
    .select([
      "decisions.id",
      "decisions.outcome",
      "decisions.decided_at",
      "decisions.panel_id",
      "decisions.decided_by_user_id",
      "requests.submitted_by_user_id",
      "cases.reference",
    ])
    .where("decisions.superseded_by_decision_id", "is", null)
    .where("decisions.decided_at", ">=", since)
    .where((eb) =>
      eb.or([
        eb("requests.submitted_by_user_id", "=", userId),
        eb("decisions.decided_by_user_id", "=", userId),
        eb.exists(
          eb
            .selectFrom("panel_attendees")
            .select("panel_attendees.id")
            .whereRef("panel_attendees.panel_id", "=", "decisions.panel_id")
            .where("panel_attendees.user_id", "=", userId)
            .where("panel_attendees.role", "in", ["chair", "core"]),
        ),
        sql<boolean>`agenda_items.invite_sent_user_ids @> ${JSON.stringify([userId])}::jsonb`,
      ]),
    )
    .orderBy("decisions.decided_at", "desc")
    .limit(limit)
    .execute();
}
