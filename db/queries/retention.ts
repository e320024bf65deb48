import { sql } from "kysely";
import type { Database } from "../connect";

export const REMOVED = "Removed at the end of the retention period";

/** Closed cases whose last closing is before the cut-off and which still hold personal details, oldest first. */
export function listCasesPastRetention(db: Database, closedBefore: Date, limit: number) {
  return db
    .selectFrom("cases")
    .select(["cases.id", "cases.reference"])
    .where("cases.status", "=", "closed")
    .where("cases.anonymised_at", "is", null)
    .where((eb) =>
      eb(
        eb
          .selectFrom("case_transitions")
          .select((t) => t.fn.max("case_transitions.at").as("closed_at"))
          .whereRef("case_transitions.case_id", "=", "cases.id")
          .where("case_transitions.to_status", "=", "closed"),
        "<",
        closedBefore,
      ),
    )
    .orderBy("cases.id")
    .limit(limit)
    .execute();
}

/**
 * Removes a case's personal details and free text, keeping its reference,
 * dates, statuses, outcomes and counts (what the figures are made of).
 * Returns false when the case was already done (another worker got there first).
 */
export async function anonymiseCase(db: Database, caseId: number, reference: string, at: Date): Promise<boolean> {
  const done = await db
    .updateTable("cases")
    .set({
      child_first_name: null,
      child_last_name: null,
      child_date_of_birth: null,
      child_address: null,
      nhs_number: null,
      case_system_id: null,
      siblings: null,
      lead_practitioner: null,
      risk_holder: null,
      anonymised_at: at,
      journey: sql`case when journey #> '{context,closedReason}' is not null
        then jsonb_set(journey, '{context,closedReason}', 'null'::jsonb) else journey end`,
    })
    .where("id", "=", caseId)
    .where("anonymised_at", "is", null)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) return false;
  await db.updateTable("requests").set({ answers: "{}" }).where("case_id", "=", caseId).execute();
  await db
    .updateTable("decisions")
    .set({
      reasons: REMOVED,
      risk_holder: REMOVED,
      discussion: null,
      lead_practitioner: null,
      challenge: null,
      correction_reason: sql`case when correction_reason is null then null else ${REMOVED} end`,
    })
    .where("case_id", "=", caseId)
    .execute();
  await db.updateTable("case_transitions").set({ reason: null }).where("case_id", "=", caseId).execute();
  // What partners told the panel about the family, in its pack.
  const itemIds = db.selectFrom("agenda_items").select("id").where("case_id", "=", caseId);
  await db.updateTable("information_returns").set({ body: REMOVED }).where("agenda_item_id", "in", itemIds).execute();
  await db.updateTable("actions").set({ description: REMOVED, done_note: null }).where("case_id", "=", caseId).execute();
  const challengeIds = db.selectFrom("challenges").select("id").where("case_id", "=", caseId);
  await db
    .updateTable("challenges")
    .set({ disagreement: REMOVED, reason: REMOVED, risk_holder: REMOVED })
    .where("case_id", "=", caseId)
    .execute();
  await db.updateTable("challenge_events").set({ text: null }).where("challenge_id", "in", challengeIds).execute();
  // The panel's minutes keep the item (reference, outcome) without what was said about the family.
  await sql`
    update panels set minutes = jsonb_set(minutes, '{items}', (
      select coalesce(jsonb_agg(case when item ->> 'reference' = ${reference}
        then item || jsonb_build_object('reasons', ${REMOVED}::text, 'discussion', null, 'riskHolder', ${REMOVED}::text,
                                        'leadPractitioner', null, 'challenge', null)
        else item end order by ord), '[]'::jsonb)
      from jsonb_array_elements(minutes -> 'items') with ordinality as e(item, ord)))
    where minutes is not null and exists (
      select 1 from jsonb_array_elements(minutes -> 'items') as e(item) where item ->> 'reference' = ${reference})
  `.execute(db);
  return true;
}
