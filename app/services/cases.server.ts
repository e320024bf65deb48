import { listFamilyTold } from "../../db/queries/family";
import { DECISION_LABELS } from "../lib/labels";
import { insertAuditEvent } from "../../db/queries/audit";
import {
  findVisibleCaseByReference,
  insertDecision,
  listCaseAgencies,
  listDecisionsForCase,
  listTransitions,
} from "../../db/queries/cases";
import { findRequestById, listRequestsForCase, openRequestForCase, updateRequest } from "../../db/queries/requests";
import { findUserById, listAreaPeople, listUsersByIds } from "../../db/queries/users";
import { findNamedLead } from "../../db/queries/lead-practitioners";
import { contactLabel, type ChosenPerson } from "../forms/chosen-person";
import { assertOffered } from "./panel-access.server";
import { handOverStepDown, handOverStepUp, isStepDownAgreed } from "./handover.server";
import { decisionRecordedEmail } from "../../emails/decision-recorded";
import { enqueueEmail } from "../../emails/outbox";
import type { CaseJourneyEvent } from "../../machines/case-journey/case-journey.machine";
import type { CaseAction } from "../forms/case";
import type { decisionSchema } from "../forms/case";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { FormError, TransitionRefused } from "../lib/errors";
import { REFERENCE_PATTERN } from "../forms/request";
import { forbidden, notFound } from "./authorise.server";
import { driveJourney, driveLockedJourney, lockUnchangedCase, statusLabel } from "./case-journey.server";
import type { z } from "zod";
import type { Database } from "../../db/connect";
import { findListedItemForRequest, updateAgendaItem } from "../../db/queries/agenda";
import { findPanel } from "../../db/queries/panels";
import { listActionsForCase } from "../../db/queries/actions";
import { listChallengesForCase } from "../../db/queries/challenges";
import { cancelSlotInvites } from "./panel-invites.server";
import { placeRequest } from "./request-placement.server";
import { kindAdjective } from "../lib/request-kind";
import { may, mayInArea } from "../lib/policy";
import { itemLeftAgendaEmail } from "../../emails/item-left-agenda";
import { requestPlacement } from "./requests.server";

export async function visibleCase(deps: Deps, actor: Actor, reference: string) {
  if (!REFERENCE_PATTERN.test(reference)) throw notFound();
  const found = await findVisibleCaseByReference(deps.db, actor.user, reference);
  if (!found) throw notFound();
  return found;
}

/** What is recorded about a case beside the case row: its history, requests, decisions, agencies, challenges and actions. */
export async function caseRecords(deps: Deps, caseId: number) {
  const [transitions, requests, decisions, agencies, challenges, actions] = await Promise.all([
    listTransitions(deps.db, caseId),
    listRequestsForCase(deps.db, caseId),
    listDecisionsForCase(deps.db, caseId),
    listCaseAgencies(deps.db, caseId),
    listChallengesForCase(deps.db, caseId),
    listActionsForCase(deps.db, caseId),
  ]);
  return { transitions, requests, decisions, agencies, challenges, actions };
}

/** The case page: everything about one case, audited as a read. */
export async function viewCase(deps: Deps, actor: Actor, reference: string) {
  const found = await visibleCase(deps, actor, reference);
  const { transitions, requests, decisions, agencies, challenges, actions } = await caseRecords(deps, found.id);
  await insertAuditEvent(deps.db, {
    at: deps.clock.now(),
    actorUserId: actor.user.id,
    action: "case.viewed",
    recordType: "case",
    recordId: found.reference,
    ip: actor.ip,
  });
  const open = requests.find((r) => r.status === "awaiting_panel") ?? null;
  const standing = decisions.find((d) => d.superseded_by_decision_id === null) ?? null;
  return {
    case: found,
    transitions,
    requests,
    decisions,
    agencies,
    challenges,
    actions,
    timeline: caseTimeline({ transitions, decisions, requests }),
    placement: open ? await requestPlacement(deps, open) : null,
    // Someone who may decide picks who holds the risk from the area's people.
    people: open && may(actor.user, "managePanels") ? await listAreaPeople(deps.db, found.area_id) : [],
    // The decision that stands (the latest, not corrected since), and the last time the family was told of it.
    standing,
    familyTold: standing ? ((await listFamilyTold(deps.db, found.id)).find((t) => t.decision_id === standing.id) ?? null) : null,
    // The supervisor the receiving service named with the lead practitioner, for the standing decision.
    supervisor: standing ? ((await findNamedLead(deps.db, found.id))?.supervisor ?? null) : null,
  };
}

/** Everything that happened to the case, newest first: transitions, decisions and requests. */
function caseTimeline({
  transitions,
  decisions,
  requests,
}: {
  transitions: Awaited<ReturnType<typeof listTransitions>>;
  decisions: Awaited<ReturnType<typeof listDecisionsForCase>>;
  requests: Awaited<ReturnType<typeof listRequestsForCase>>;
}) {
  return [
    ...transitions.map((t) => ({
      at: t.at,
      title: t.from_status ? `${statusLabel(t.from_status)} → ${statusLabel(t.to_status)}` : `Case created in ${statusLabel(t.to_status)}`,
      detail: [t.reason, t.actor_name ? `by ${t.actor_name}` : null].filter(Boolean).join(" – "),
    })),
    ...decisions.map((d) => ({
      at: d.decided_at,
      title: `${d.corrects_decision_id ? "Decision corrected" : "Decision"}: ${DECISION_LABELS[d.outcome as keyof typeof DECISION_LABELS] ?? d.outcome}`,
      detail: [
        d.correction_reason ? `Why corrected: ${d.correction_reason}` : null,
        d.discussion ? `Discussion: ${d.discussion}` : null,
        `${d.reasons} – risk held by ${d.risk_holder} – recorded by ${d.decided_by}`,
      ]
        .filter(Boolean)
        .join(" – "),
    })),
    ...requests.map((r) => ({
      at: r.submitted_at ?? new Date(0),
      title: `${kindAdjective(r.kind, { capital: true })} request sent`,
      detail: `by ${r.submitted_by}, ${r.agency_name}${r.bounce_back ? " – bounce back" : ""}`,
    })),
  ].sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime());
}

/**
 * Which case actions a person may take, whatever the case's state. Sending a
 * case to the front door from its page is for whoever sent its open request
 * and the managers of its area; the rest is for those managers alone.
 */
export function allowedActions(actor: Actor, c: { areaId: number; submittedOpenRequest: boolean }): Array<CaseAction["action"] | "decide"> {
  const manages = mayInArea(actor.user, "managePanels", c.areaId);
  const actions: Array<CaseAction["action"] | "decide"> = [];
  if (c.submittedOpenRequest || manages) actions.push("refer", "withdraw");
  if (manages) actions.push("close", "reopen", "front_door_outcome", "decide");
  return actions;
}

/** The chair of the panel an item left is told, so nobody pulls a case off an agenda unseen. */
async function tellChairItemLeft(
  trx: Database,
  deps: Deps,
  panelId: number,
  reference: string,
  why: "front_door" | "withdrawn",
  now: Date,
) {
  const panel = await findPanel(trx, panelId);
  if (!panel?.chair_user_id) return;
  const [chair] = await listUsersByIds(trx, [panel.chair_user_id]);
  if (!chair?.active) return;
  await enqueueEmail(
    trx,
    {
      ...itemLeftAgendaEmail({ reference, meetingDate: panel.meeting_date, why, url: `${appUrlOf(deps)}/panels/${panelId}` }),
      key: `item_left:${panelId}:${reference}:${now.getTime()}`,
      kind: "item_left_agenda",
      to: chair.email,
    },
    now,
  );
}

function eventFor(action: CaseAction, at: string): CaseJourneyEvent {
  switch (action.action) {
    case "withdraw":
      return { type: "WITHDRAW_REQUEST", at };
    case "refer":
      return { type: "REFER_TO_FRONT_DOOR", at };
    case "close":
      return { type: "CLOSE", at, reason: action.reason };
    case "reopen":
      return { type: "REOPEN", at, to: action.to };
    case "front_door_outcome":
      return { type: "FRONT_DOOR_OUTCOME", at, to: action.to };
  }
}

/** Withdraw, refer, close, reopen: one journey event in one transaction, with a version check. */
export async function actOnCase(deps: Deps, actor: Actor, reference: string, action: CaseAction) {
  const found = await visibleCase(deps, actor, reference);
  const open = await openRequestForCase(deps.db, found.id);
  const mayAct = allowedActions(actor, { areaId: found.area_id, submittedOpenRequest: open?.submitted_by_user_id === actor.user.id });
  if (!mayAct.includes(action.action)) throw forbidden();
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const result = await driveJourney(trx, found.id, eventFor(action, now.toISOString()), {
      actorUserId: actor.user.id,
      expectedVersion: action.version,
      reason: action.reason,
      requestId: open?.id ?? null,
    });
    // A request still open when the case leaves its requested state ends with it, and leaves its agenda.
    if (open && (action.action === "withdraw" || action.action === "refer")) {
      await updateRequest(trx, open.id, { status: action.action === "withdraw" ? "withdrawn" : "front_door", at: now });
      const item = await findListedItemForRequest(trx, open.id);
      if (item) {
        await updateAgendaItem(trx, item.id, { status: "withdrawn" });
        await cancelSlotInvites(trx, item.panel_id, [item.id], appUrlOf(deps), now);
        await tellChairItemLeft(trx, deps, item.panel_id, found.reference, action.action === "refer" ? "front_door" : "withdrawn", now);
      }
    }
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: `case.${action.action}`,
      recordType: "case",
      recordId: found.reference,
      ip: actor.ip,
      detail: { from: result.from, to: result.to },
    });
    return result;
  });
}

/** What a decision records beyond the outcome (the chairing page fills these in). */
/**
 * A person chosen for a decision, as shown wherever it is read: someone of the
 * area with an active account, or a named contact. A deactivated account is a
 * field error.
 */
export async function resolveChosenPerson(trx: Database, areaId: number, choice: ChosenPerson, field: string) {
  // A proposal accepted as written names a team or service, not yet a person.
  if ("proposed" in choice) return { label: choice.proposed, userId: null, proposed: true };
  if (!("userId" in choice)) return { label: contactLabel(choice), userId: null, proposed: false };
  const [user] = await listUsersByIds(trx, [choice.userId]);
  if (user && !user.active) {
    throw new FormError({ [field]: `${user.name}'s account is deactivated: choose someone else, or name a contact` });
  }
  await assertOffered(trx, areaId, { userIds: [choice.userId] }).catch(() => {
    throw new FormError({ [field]: "Choose someone from the list" });
  });
  return { label: `${user!.name}, ${user!.agency_name}`, userId: user!.id, proposed: false };
}

export interface DecisionDetails {
  riskHolderUserId?: number | null;
  leadPractitionerUserId?: number | null;
  panelId?: number | null;
  agendaItemId?: number | null;
  discussion?: string | null;
  leadPractitioner?: string | null;
  /** No person is named as lead practitioner yet (none given, or the request's proposed team accepted): the receiving service names one. */
  leadToName?: boolean;
  transferDate?: string | null;
  reviewDate?: string | null;
  challenge?: string | null;
}

/**
 * Records the panel's decision on an open request and drives the journey in the
 * same transaction. Two people deciding at once: the second sees a conflict.
 */
export async function recordDecision(
  deps: Deps,
  actor: Actor,
  reference: string,
  input: Pick<z.output<typeof decisionSchema>, "requestId" | "version" | "outcome" | "reasons" | "riskHolderChoice">,
) {
  const found = await visibleCase(deps, actor, reference);
  if (!mayInArea(actor.user, "managePanels", found.area_id)) throw forbidden();
  const request = await findRequestById(deps.db, input.requestId);
  if (!request || request.case_id !== found.id) throw notFound();
  return deps.db.transaction().execute(async (trx) => {
    const holder = await resolveChosenPerson(trx, found.area_id, input.riskHolderChoice, "riskHolder");
    return decideInTransaction(trx, deps, actor, found, { ...input, riskHolder: holder.label }, { riskHolderUserId: holder.userId });
  });
}

/** The decision itself, inside the caller's transaction (the case page or the chairing page). */
export async function decideInTransaction(
  trx: Database,
  deps: Deps,
  actor: Actor,
  found: { id: number; reference: string },
  input: Pick<z.output<typeof decisionSchema>, "requestId" | "version" | "outcome" | "reasons"> & { riskHolder: string },
  details: DecisionDetails,
) {
  const now = deps.clock.now();
  const locked = await lockUnchangedCase(trx, found.id, input.version);
  const request = await findRequestById(trx, input.requestId);
  if (!request || request.case_id !== found.id) throw notFound();
  if (request.status !== "awaiting_panel") {
    throw new FormError({ outcome: "This request has already been decided or withdrawn" });
  }
  let result;
  try {
    result = await driveLockedJourney(
      trx,
      locked,
      { type: "PANEL_DECISION", at: now.toISOString(), outcome: input.outcome },
      {
        actorUserId: actor.user.id,
        reason: input.reasons,
        requestId: request.id,
        riskHolder: input.riskHolder,
        ...(details.leadPractitioner ? { leadPractitioner: details.leadPractitioner } : {}),
      },
    );
  } catch (error) {
    if (error instanceof TransitionRefused) {
      throw new FormError({ outcome: `That decision does not fit a ${kindAdjective(request.kind)} request` });
    }
    throw error;
  }
  const decision = await insertDecision(trx, {
    requestId: request.id,
    caseId: found.id,
    outcome: input.outcome,
    reasons: input.reasons,
    riskHolder: input.riskHolder,
    by: actor.user.id,
    at: now,
    ...details,
  });
  if (input.outcome !== "deferred") await updateRequest(trx, request.id, { status: "decided", at: now });
  // The agenda follows: the item is decided; a deferred request goes on the next panel.
  // The chairing page already holds the item; a decision made on the case page finds it here.
  const item =
    details.agendaItemId && details.panelId
      ? { id: details.agendaItemId, panel_id: details.panelId }
      : await findListedItemForRequest(trx, request.id);
  if (item) await updateAgendaItem(trx, item.id, { status: "decided" });
  if (input.outcome === "deferred" && request.area_id) {
    const panel = item ? await findPanel(trx, item.panel_id) : null;
    await placeRequest(
      trx,
      deps,
      { id: request.id, caseId: found.id, areaId: request.area_id, submittedAt: now },
      { after: { panelId: panel?.id ?? 0, startsAt: panel ? new Date(panel.starts_at) : now } },
    );
  }
  const requester = await findUserById(trx, request.submitted_by_user_id);
  if (requester?.active) {
    const appUrl = appUrlOf(deps);
    await enqueueEmail(
      trx,
      {
        ...decisionRecordedEmail({ reference: found.reference, caseUrl: `${appUrl}/cases/${found.reference}`, outcome: input.outcome }),
        key: `decision:${decision.id}:to:${requester.id}`,
        kind: "decision_recorded",
        to: requester.email,
      },
      now,
    );
  }
  if (isStepDownAgreed(input.outcome)) {
    await handOverStepDown(
      trx,
      deps,
      {
        decisionId: decision.id,
        outcome: input.outcome,
        caseId: found.id,
        reference: found.reference,
        areaId: locked.area_id,
        panelId: details.panelId ?? null,
        agendaItemId: details.agendaItemId ?? null,
        leadPractitioner: details.leadPractitioner ?? null,
        leadToName: details.leadToName ?? !details.leadPractitioner,
        transferDate: details.transferDate ?? null,
        decidedBy: actor.user.id,
      },
      now,
    );
  }
  if (input.outcome === "step_up_agreed") {
    await handOverStepUp(
      trx,
      deps,
      {
        decisionId: decision.id,
        caseId: found.id,
        reference: found.reference,
        areaId: locked.area_id,
        panelId: details.panelId ?? null,
        agendaItemId: details.agendaItemId ?? null,
        decidedBy: actor.user.id,
      },
      now,
    );
  }
  await insertAuditEvent(trx, {
    at: now,
    actorUserId: actor.user.id,
    action: "case.decision_recorded",
    recordType: "case",
    recordId: found.reference,
    ip: actor.ip,
    detail: { request: request.id, outcome: input.outcome, panelId: details.panelId ?? null },
  });
  return { ...result, decisionId: decision.id, request };
}
