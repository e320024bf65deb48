import { CORRECTABLE } from "../lib/labels";
import { DECISION_LABELS } from "../lib/labels";
import type { z } from "zod";
import type { Database } from "../../db/connect";
import { withdrawHandoverActions } from "../../db/queries/actions";
import { insertAuditEvent } from "../../db/queries/audit";
import { insertDecision, setCaseHolders } from "../../db/queries/cases";
import { findDecisionForCorrection, findStateBeforeRequest, listToldOfDecision, supersedeDecision } from "../../db/queries/decisions";
import { findPanel, replaceMinutes } from "../../db/queries/panels";
import { listAreaPeople } from "../../db/queries/users";
import { enqueueEmail } from "../../emails/outbox";
import { decisionCorrectedEmail } from "../../emails/transfer-notice";
import type { CaseState } from "../../machines/case-journey/case-journey.machine";
import type { correctDecisionSchema } from "../forms/panel";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { isoFromParts } from "../lib/dates";
import { FormError } from "../lib/errors";
import { may, mayInArea } from "../lib/policy";
import { forbidden, notFound } from "./authorise.server";
import { driveLockedJourney, lockUnchangedCase, statusLabel } from "./case-journey.server";
import { resolveChosenPerson } from "./cases.server";
import { isRefused } from "./machine-driver.server";
import type { Minutes } from "./meeting.server";
import { handOverStepDown, handOverStepUp, isStepDownAgreed } from "./handover.server";

type Correctable = (typeof CORRECTABLE)[number];
const isCorrectable = (o: string): o is Correctable => (CORRECTABLE as readonly string[]).includes(o);

type Found = NonNullable<Awaited<ReturnType<typeof findDecisionForCorrection>>>;

type CorrectionFacts = Pick<Found, "area_id" | "panel_id" | "panel_status" | "panel_chair_user_id">;

/**
 * Who may correct a decision: the chair of its panel until the minutes are
 * published; a service manager at any time, and alone after publication (or
 * for a decision made outside a panel); always in the case's area.
 */
export function mayCorrect(actor: Actor, d: CorrectionFacts) {
  return correctionRefusal(actor, d) === null;
}

/** Why this person may not correct the decision now, in words for the page; null when they may. */
export function correctionRefusal(actor: Actor, d: CorrectionFacts): string | null {
  if (mayInArea(actor.user, "correctPublishedDecisions", d.area_id)) return null;
  const chairedIt = d.panel_id !== null && d.panel_chair_user_id === actor.user.id;
  const beforePublication = d.panel_id !== null && (d.panel_status === "in_session" || d.panel_status === "concluded");
  if (beforePublication) {
    if (chairedIt && mayInArea(actor.user, "managePanels", d.area_id)) return null;
    return "Until the minutes are published, a panel's decision is corrected by the chair of that panel or by a service manager. Ask one of them to correct it.";
  }
  if (chairedIt)
    return "The minutes of this panel are published, so only a service manager can correct this decision now. Ask a service manager to correct it.";
  return "Only a service manager can correct this decision. Ask a service manager to correct it.";
}

/**
 * A decision the person may correct: 404 when they may not know of it (not a
 * manager of its area), 403 saying whom to ask when it is not theirs to correct.
 */
function assertMayCorrect(actor: Actor, d: Found | undefined): asserts d is Found {
  if (!d || !mayInArea(actor.user, "managePanels", d.area_id)) throw notFound();
  const refusal = correctionRefusal(actor, d);
  if (refusal) throw forbidden(refusal);
}

/** Where the case stands once a request is settled with this outcome. */
function serviceAfter(outcome: Correctable, before: string): CaseState {
  if (outcome === "step_up_agreed") return "social_care";
  if (outcome === "step_down_agreed_early_help") return "early_help";
  if (outcome === "step_down_agreed_volunteer_support") return "volunteer_support";
  return before as CaseState;
}

/** The decision as the correction form shows it, with who may be chosen; refused to anyone who may not correct it. */
export async function viewDecisionForCorrection(deps: Deps, actor: Actor, decisionId: number) {
  if (!may(actor.user, "managePanels")) throw forbidden();
  const d = await findDecisionForCorrection(deps.db, decisionId);
  assertMayCorrect(actor, d);
  const people = await listAreaPeople(deps.db, d.area_id);
  await insertAuditEvent(deps.db, {
    at: deps.clock.now(),
    actorUserId: actor.user.id,
    action: "case.decision_viewed",
    recordType: "case",
    recordId: d.reference,
    ip: actor.ip,
    detail: { decisionId },
  });
  return { decision: d, people, correctable: isCorrectable(d.outcome) && d.superseded_by_decision_id === null };
}

/**
 * Corrects a recorded decision, with a reason. The old and the new decision
 * both stay in the history; the case journey follows the correction; the
 * minutes show it; everyone told of the first decision is told of the
 * correction, and a newly agreed step down is handed over. One transaction.
 */
export async function correctDecision(
  deps: Deps,
  actor: Actor,
  decisionId: number,
  input: z.output<ReturnType<typeof correctDecisionSchema>>,
) {
  if (!may(actor.user, "managePanels")) throw forbidden();
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const d = await findDecisionForCorrection(trx, decisionId);
    assertMayCorrect(actor, d);
    if (d.superseded_by_decision_id !== null)
      throw new FormError({ form: "This decision has already been corrected: correct the latest one" });
    if (!isCorrectable(d.outcome)) {
      throw new FormError({ form: "A deferral or a referral to the front door cannot be corrected here: the request has moved on" });
    }
    const outcome = input.outcome;
    if (!isCorrectable(outcome)) throw new FormError({ outcome: "Choose a decision that settles the request" });
    if (d.kind === "step_up" ? outcome.startsWith("step_down") : outcome === "step_up_agreed") {
      throw new FormError({ outcome: `That decision does not fit a ${d.kind === "step_up" ? "step up" : "step down"} request` });
    }
    const locked = await lockUnchangedCase(trx, d.case_id, input.caseVersion);
    const before = (await findStateBeforeRequest(trx, d.request_id)) ?? (d.kind === "step_up" ? "early_help" : "social_care");
    const was = serviceAfter(d.outcome, before);
    const becomes = serviceAfter(outcome, before);
    if (locked.status !== was) {
      throw new FormError({
        outcome: `The case has moved on since this decision (it is now "${statusLabel(locked.status)}"): it cannot be corrected here`,
      });
    }
    const holder = await resolveChosenPerson(trx, d.area_id, input.riskHolderChoice, "riskHolder");
    const lead = input.leadChoice ? await resolveChosenPerson(trx, d.area_id, input.leadChoice, "leadPractitioner") : null;
    const transferDate = lead ? isoFromParts(input as Record<string, unknown>, "transfer") : null;
    const reason = `Decision corrected: ${input.correctionReason}`;
    if (becomes !== was) {
      await driveLockedJourney(
        trx,
        locked,
        { type: "DECISION_CHANGED", at: now.toISOString(), to: becomes as "early_help" | "social_care" | "volunteer_support" },
        { actorUserId: actor.user.id, reason, requestId: d.request_id, riskHolder: holder.label, leadPractitioner: lead?.label ?? null },
      ).catch((error: unknown) => {
        throw isRefused(error) ? new FormError({ outcome: `The case cannot move to ${statusLabel(becomes)} from here` }) : error;
      });
    } else {
      await setCaseHolders(trx, d.case_id, { riskHolder: holder.label, ...(lead ? { leadPractitioner: lead.label } : {}) });
    }
    const corrected = await insertDecision(trx, {
      requestId: d.request_id,
      caseId: d.case_id,
      outcome: input.outcome,
      reasons: input.reasons,
      riskHolder: holder.label,
      riskHolderUserId: holder.userId,
      leadPractitioner: lead?.label ?? null,
      leadPractitionerUserId: lead?.userId ?? null,
      transferDate,
      by: actor.user.id,
      at: now,
      panelId: d.panel_id,
      agendaItemId: d.agenda_item_id,
      discussion: d.discussion,
      reviewDate: d.review_date,
      challenge: d.challenge,
      correctsDecisionId: d.id,
      correctionReason: input.correctionReason,
    });
    await supersedeDecision(trx, d.id, corrected.id);
    if (d.panel_id) {
      await correctMinutes(trx, d.panel_id, d, {
        outcome,
        reasons: input.reasons,
        riskHolder: holder.label,
        lead: lead?.label ?? null,
        transferDate,
        correctionReason: input.correctionReason,
        decisionId: corrected.id,
      });
    }
    // Everyone told of the first decision hears of the correction (one email each).
    const caseUrl = `${appUrlOf(deps)}/cases/${d.reference}`;
    for (const recipient of await listToldOfDecision(trx, d.id)) {
      await enqueueEmail(
        trx,
        {
          ...decisionCorrectedEmail({ reference: d.reference, caseUrl }),
          key: `decision:${corrected.id}:corrected:to:${recipient.toLowerCase()}`,
          kind: "decision_corrected",
          to: recipient,
        },
        now,
      );
    }
    // A corrected step up or step down no longer needs the hand-over it started; the new decision starts its own.
    const handedOver = d.outcome === "step_up_agreed" || isStepDownAgreed(d.outcome);
    const withdrawn = handedOver && outcome !== d.outcome ? await withdrawHandoverActions(trx, d.case_id, now) : 0;
    if (isStepDownAgreed(input.outcome) && input.outcome !== d.outcome) {
      await handOverStepDown(
        trx,
        deps,
        {
          decisionId: corrected.id,
          outcome: input.outcome,
          caseId: d.case_id,
          reference: d.reference,
          areaId: d.area_id,
          panelId: d.panel_id,
          agendaItemId: d.agenda_item_id,
          leadPractitioner: lead?.label ?? null,
          leadToName: !lead || lead.proposed,
          transferDate,
          decidedBy: actor.user.id,
        },
        now,
      );
    }
    if (input.outcome === "step_up_agreed" && d.outcome !== "step_up_agreed") {
      await handOverStepUp(
        trx,
        deps,
        {
          decisionId: corrected.id,
          caseId: d.case_id,
          reference: d.reference,
          areaId: d.area_id,
          panelId: d.panel_id,
          agendaItemId: d.agenda_item_id,
          decidedBy: actor.user.id,
        },
        now,
      );
    }
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: "case.decision_corrected",
      recordType: "case",
      recordId: d.reference,
      ip: actor.ip,
      detail: {
        decisionId: d.id,
        correctedBy: corrected.id,
        from: d.outcome,
        to: input.outcome,
        reason: input.correctionReason,
        handoverActionsWithdrawn: withdrawn,
      },
    });
    return { decisionId: corrected.id, reference: d.reference };
  });
}

/** The minutes (draft or published) show the corrected decision, saying it was corrected and why. */
async function correctMinutes(
  trx: Database,
  panelId: number,
  d: Found,
  c: {
    outcome: Correctable;
    reasons: string;
    riskHolder: string;
    lead: string | null;
    transferDate: string | null;
    correctionReason: string;
    decisionId: number;
  },
) {
  const panel = await findPanel(trx, panelId);
  const minutes = panel?.minutes as Minutes | null | undefined;
  if (!minutes?.items) return;
  const items = minutes.items.map((item) =>
    item.reference === d.reference
      ? {
          ...item,
          decisionId: c.decisionId,
          outcome: DECISION_LABELS[c.outcome],
          reasons: c.reasons,
          riskHolder: c.riskHolder,
          leadPractitioner: c.lead,
          transferDate: c.transferDate,
          correction: { reason: c.correctionReason, previousOutcome: item.outcome },
        }
      : item,
  );
  await replaceMinutes(trx, panelId, { ...minutes, items });
}
