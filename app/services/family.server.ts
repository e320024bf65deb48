import { listDecisionsForCase } from "../../db/queries/cases";
import { insertFamilyTold, listFamilyTold } from "../../db/queries/family";
import { findNamedLead } from "../../db/queries/lead-practitioners";
import { engagementSchema, familyToldSchema } from "../forms/family";
import { findEngagementReview, saveEngagementReview } from "../../db/queries/engagement";
import { isStepDownAgreed } from "./handover.server";
import type { Actor, Deps } from "../lib/context";
import { todayIn, ukDate } from "../lib/dates";
import { mayInArea } from "../lib/policy";
import { validate } from "../lib/validation";
import { recordRead } from "./audit-trail.server";
import { audit } from "./panel-access.server";
import { forbidden, notFound } from "./authorise.server";
import { visibleCase } from "./cases.server";

/**
 * Telling the family: the chair or a manager for the case's area, or the
 * lead practitioner (named by the decision or by the receiving service), records how, when and by whom the
 * family was told of the case's current decision.
 */
export async function familyCase(deps: Deps, actor: Actor, reference: string) {
  const found = await visibleCase(deps, actor, reference);
  const decision = (await listDecisionsForCase(deps.db, found.id)).find((d) => !d.superseded_by_decision_id) ?? null;
  const named = await findNamedLead(deps.db, found.id);
  const isLead = decision?.lead_practitioner_user_id === actor.user.id || (named !== undefined && named.lead_user_id === actor.user.id);
  const mayRecord = Boolean(decision) && (mayInArea(actor.user, "managePanels", found.area_id) || isLead);
  return { found, decision, mayRecord };
}

/** The family-told page: the current decision and each time the family was told, audited as a read of the case. */
export async function viewFamilyTold(deps: Deps, actor: Actor, reference: string) {
  const { found, decision, mayRecord } = await familyCase(deps, actor, reference);
  const told = await listFamilyTold(deps.db, found.id);
  await recordRead(deps, actor, { action: "case.family_told_viewed", recordType: "case", recordId: found.reference });
  return { case: found, decision, told, mayRecord };
}

/** Records that the family was told; what was typed comes back with messages when it will not do. */
export async function recordFamilyTold(deps: Deps, actor: Actor, reference: string, values: Record<string, unknown>) {
  const { found, decision, mayRecord } = await familyCase(deps, actor, reference);
  if (!decision || !mayRecord) throw forbidden("Only the case's chair, a manager for its area or its lead practitioner records this");
  const parsed = validate(familyToldSchema(todayIn(deps), ukDate(new Date(decision.decided_at))), values);
  if (!parsed.ok) return parsed.errors;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await insertFamilyTold(trx, { caseId: found.id, decisionId: decision.id, ...parsed.data, recordedBy: actor.user.id, at: now });
    await audit(trx, actor, now, "case.family_told_recorded", found.reference, { decision: decision.id, method: parsed.data.method });
  });
  return null;
}

/** Only an agreed step down has a review of whether the family engaged. */
async function reviewCase(deps: Deps, actor: Actor, reference: string) {
  const { found, decision, mayRecord } = await familyCase(deps, actor, reference);
  if (!decision || !isStepDownAgreed(decision.outcome)) throw notFound();
  return { found, decision, mayRecord };
}

/** The review page: the step down and what its review found, audited as a read of the case. */
export async function viewEngagementReview(deps: Deps, actor: Actor, reference: string) {
  const { found, decision, mayRecord } = await reviewCase(deps, actor, reference);
  const review = await findEngagementReview(deps.db, decision.id);
  await recordRead(deps, actor, { action: "case.engagement_viewed", recordType: "case", recordId: found.reference });
  return { case: found, decision, review: review ?? null, mayRecord };
}

/** Records how the family engaged after the step down; what was typed comes back with messages when it will not do. */
export async function recordEngagementReview(deps: Deps, actor: Actor, reference: string, values: Record<string, unknown>) {
  const { found, decision, mayRecord } = await reviewCase(deps, actor, reference);
  if (!mayRecord) throw forbidden("Only the case's lead practitioner or a manager for its area records the review");
  const parsed = validate(engagementSchema(todayIn(deps), ukDate(new Date(decision.decided_at))), values);
  if (!parsed.ok) return parsed.errors;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await saveEngagementReview(trx, { caseId: found.id, decisionId: decision.id, ...parsed.data, by: actor.user.id, at: now });
    await audit(trx, actor, now, "case.engagement_recorded", found.reference, { decision: decision.id, outcome: parsed.data.outcome });
  });
  return null;
}
