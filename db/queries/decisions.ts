import type { Database } from "../connect";

export function listPanelDecisions(db: Database, panelId: number) {
  return db
    .selectFrom("decisions")
    .innerJoin("users", "users.id", "decisions.decided_by_user_id")
    .select([
      "decisions.id",
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
    .execute();
}

/** Who made a decision (a challenge must reach someone else). */
export async function findDecisionMakerId(db: Database, decisionId: number) {
  const row = await db.selectFrom("decisions").select("decided_by_user_id").where("id", "=", decisionId).executeTakeFirst();
  return row?.decided_by_user_id ?? null;
}
