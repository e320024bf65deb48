import { DateTime } from "luxon";
import { recordRead } from "./audit-trail.server";
import { placeRequest } from "./request-placement.server";
import { insertAuditEvent } from "../../db/queries/audit";
import { listOpenQuestionsFor } from "../../db/queries/questions";
import {
  addCaseAgencies,
  findCaseReferenceById,
  findPossibleMatches,
  visibleCasesAmong,
  findVisibleCaseByReference,
  insertCase,
  listCaseAgencies,
  setCaseHolders,
  insertTransition,
  nextCaseReference,
  updateCaseDetails,
} from "../../db/queries/cases";
import { findAreaById, listAgencies, listAreas } from "../../db/queries/organisation";
import { findPanelForWaitingRequest } from "../../db/queries/agenda";
import {
  deleteDraft,
  deleteStaleDrafts,
  findOwnRequest,
  insertDraftRequest,
  listAwaitingPanel,
  listSubmissions,
  mergeDraftAnswers,
  setPossibleMatches,
  updateRequest,
} from "../../db/queries/requests";
import type { RequestKind } from "../../db/schema";
import type { Database } from "../../db/connect";
import { CASE_JOURNEY_VERSION, type CaseJourneyEvent, type ServiceState } from "../../machines/case-journey/case-journey.machine";
import { startJourney } from "../../machines/case-journey/journey";
import {
  childSchema,
  outcomeList,
  stepDownSchema,
  stepUpSchema,
  type ChildAnswers,
  type StepDownAnswers,
  type StepUpAnswers,
} from "../forms/request";
import { formatDate, formatTime, isoFromParts, ZONE, todayIn } from "../lib/dates";
import type { Actor, Deps } from "../lib/context";
import { AlreadyDone, FormError, TransitionRefused } from "../lib/errors";
import { validate, type FieldErrors, type FormValues } from "../lib/validation";
import { forbidden, notFound } from "./authorise.server";
import { driveJourney } from "./case-journey.server";
import { kindName, kindAdjective } from "../lib/request-kind";
import { may } from "../lib/policy";
import { statusLabel } from "./case-journey.server";

function assertCanSubmit(actor: Actor) {
  if (!may(actor.user, "submitRequests")) throw forbidden();
}

const BOUNCE_BACK_MONTHS = 12;

/**
 * Starts a request with its first answer, the immediate-risk question: no
 * draft exists until something is answered.
 */
export async function startDraft(deps: Deps, actor: Actor, kind: RequestKind, immediateRisk?: "yes" | "no") {
  assertCanSubmit(actor);
  return deps.db.transaction().execute(async (trx) => {
    const { id } = await insertDraftRequest(trx, {
      kind,
      answers: immediateRisk ? { immediateRisk } : {},
      userId: actor.user.id,
      agencyId: actor.user.agencyId,
      areaId: actor.user.areaId,
      at: deps.clock.now(),
    });
    await insertAuditEvent(trx, {
      at: deps.clock.now(),
      actorUserId: actor.user.id,
      action: "request.draft_started",
      recordType: "request",
      recordId: id,
      ip: actor.ip,
      detail: immediateRisk ? { kind, immediateRisk } : { kind },
    });
    return id;
  });
}

/** Deletes one of the person's own unsent drafts, audited; what it held goes with it. */
export async function discardDraft(deps: Deps, actor: Actor, id: number) {
  const draft = await getDraft(deps, actor, id);
  if (draft.status !== "draft") throw new AlreadyDone("This request has already been sent: it cannot be deleted");
  await deps.db.transaction().execute(async (trx) => {
    await deleteDraft(trx, actor.user.id, id);
    await insertAuditEvent(trx, {
      at: deps.clock.now(),
      actorUserId: actor.user.id,
      action: "request.draft_deleted",
      recordType: "request",
      recordId: id,
      ip: actor.ip,
      detail: { kind: draft.kind },
    });
  });
}

/** How long an unsent draft is kept after its last change. */
export const DRAFT_KEPT_DAYS = 30;

/**
 * Deletes drafts nobody has changed for 30 days, each audited: a child's
 * details typed and abandoned are not kept for ever. Safe from several workers
 * (each row is deleted once).
 */
export async function expireStaleDrafts(deps: Deps) {
  const before = DateTime.fromJSDate(deps.clock.now()).minus({ days: DRAFT_KEPT_DAYS }).toJSDate();
  return deps.db.transaction().execute(async (trx) => {
    const deleted = await deleteStaleDrafts(trx, before);
    for (const draft of deleted) {
      await insertAuditEvent(trx, {
        at: deps.clock.now(),
        actorUserId: null,
        action: "request.draft_expired",
        recordType: "request",
        recordId: draft.id,
        ip: null,
        detail: { kind: draft.kind, owner: draft.submitted_by_user_id, keptDays: DRAFT_KEPT_DAYS },
      });
    }
    return { draftsExpired: deleted.length };
  });
}

/** A draft as its owner's list names it: by child and kind, never a bare number. */
export function draftName(kind: RequestKind, answers: Record<string, unknown>): string {
  return `${kindName(kind, { capital: true })} request for ${draftChild(answers) ?? "a child not yet named"}`;
}

/** Who a draft is about, as typed so far: the case reference or the child's name; null before either. */
export function draftChild(answers: Record<string, unknown>): string | null {
  const name = [answers.firstName, answers.lastName].filter((v): v is string => typeof v === "string" && v.trim() !== "").join(" ");
  return referenceIn(answers) || name || null;
}

/** The child a new-child request names, as matching looks at it; null for a request on a case already known. */
function identityOf(child: ChildAnswers, answers: Record<string, unknown>) {
  const dateOfBirth = isoFromParts(answers, "dob");
  if (child.existingReference || !child.firstName || !child.lastName || !dateOfBirth) return null;
  return {
    firstName: child.firstName,
    lastName: child.lastName,
    dateOfBirth,
    nhsNumber: child.nhsNumber ?? null,
    caseSystemId: child.caseSystemId ?? null,
  };
}

/**
 * Whether the child of a draft may already be known to Threshold. Matches the
 * person may see are offered with their details ("this is the same child");
 * of the others they learn nothing: every new child's request is told that
 * the chair will check, matches or not. Showing a match is audited as a read.
 */
export async function knownChildFor(deps: Deps, actor: Actor, draftId: number, child: ChildAnswers, answers: Record<string, unknown>) {
  const identity = identityOf(child, answers);
  if (!identity) return { offered: [], chairWillCheck: false };
  // Wide enough that matches the person may not see never crowd out one they may.
  const matches = await findPossibleMatches(deps.db, identity, 20);
  const visible = await visibleCasesAmong(
    deps.db,
    actor.user,
    matches.map((m) => m.id),
  );
  const offered = matches
    .flatMap((m) => {
      const row = visible.find((v) => v.id === m.id);
      if (!row) return [];
      return [
        {
          reference: row.reference,
          name: [row.child_first_name, row.child_last_name].filter(Boolean).join(" "),
          dateOfBirth: row.child_date_of_birth ? formatDate(row.child_date_of_birth) : "Not recorded",
          area: row.area_name,
          state: statusLabel(row.status),
          why: m.why,
        },
      ];
    })
    .slice(0, 5);
  if (offered.length) {
    await recordRead(deps, actor, {
      action: "case.possible_match_shown",
      recordType: "request",
      recordId: draftId,
      cases: offered.map((o) => o.reference),
    });
  }
  // Every new child's request is checked by the chair, so saying so tells nobody whether a hidden match exists.
  return { offered, chairWillCheck: true };
}

/**
 * "This is the same child": the draft goes on a case the person may see and
 * that matching offered for it. The child's details become the case's own;
 * agencies the request may no longer name are dropped from it.
 */
export async function attachToKnownCase(deps: Deps, actor: Actor, id: number, reference: string) {
  const draft = await getDraft(deps, actor, id);
  if (draft.status !== "draft") throw new AlreadyDone("This request has already been sent");
  const checked = checkAnswers(deps, draft.kind, draft.answers);
  const child = checked.ok ? checked.answers.child : null;
  const identity = child ? identityOf(child, draft.answers) : null;
  const matches = identity ? await findPossibleMatches(deps.db, identity, 20) : [];
  const match = matches.find((m) => m.reference === reference.toUpperCase());
  const visible = match ? await visibleCasesAmong(deps.db, actor.user, [match.id]) : [];
  if (!match || visible.length === 0)
    throw new FormError({ sameChild: "Choose one of the cases shown, or send the request as a new child" });
  const allowed = await agenciesFor(deps.db, actor, match.id);
  const agencies = ([] as unknown[])
    .concat(draft.answers["agencies[]"] ?? [])
    .map(String)
    .filter((a) => allowed.some((x) => String(x.id) === a));
  const cleared = Object.fromEntries(IDENTITY_FIELDS.map((field) => [field, ""]));
  await deps.db.transaction().execute(async (trx) => {
    await mergeDraftAnswers(
      trx,
      id,
      { ...cleared, existingReference: match.reference, areaId: String(match.areaId), "agencies[]": agencies },
      deps.clock.now(),
    );
    await insertAuditEvent(trx, {
      at: deps.clock.now(),
      actorUserId: actor.user.id,
      action: "request.attached_to_known_case",
      recordType: "case",
      recordId: match.reference,
      ip: actor.ip,
      detail: { request: id, cases: [match.reference], why: match.why },
    });
  });
}

export async function getDraft(deps: Deps, actor: Actor, id: number) {
  const request = await findOwnRequest(deps.db, actor.user.id, id);
  if (!request) throw notFound();
  return request;
}

export async function draftOptions(deps: Deps) {
  const [areas, agencies] = await Promise.all([listAreas(deps.db), listAgencies(deps.db, { activeOnly: true })]);
  return { areas, agencies };
}

/** The case reference a draft names, as the child page stores it (upper case), or "". */
function referenceIn(answers: Record<string, unknown>): string {
  return typeof answers.existingReference === "string" ? answers.existingReference.trim().toUpperCase() : "";
}

/**
 * The agencies a request may name as involved: any active one for a new case
 * (`caseId` null); for a case already on Threshold, the submitter's own and
 * those already involved in it.
 */
async function agenciesFor(db: Database, actor: Actor, caseId: number | null) {
  const all = await listAgencies(db, { activeOnly: true });
  if (caseId === null) return all;
  const involved = new Set([actor.user.agencyId, ...(await listCaseAgencies(db, caseId)).map((a) => a.id)]);
  return all.filter((a) => involved.has(a.id));
}

/** The agencies the details page offers for this draft; a reference the person cannot see offers only their own. */
export async function requestAgencyChoices(deps: Deps, actor: Actor, draft: { answers: Record<string, unknown> }) {
  const reference = referenceIn(draft.answers);
  if (!reference) return agenciesFor(deps.db, actor, null);
  const existing = await findVisibleCaseByReference(deps.db, actor.user, reference);
  if (existing) return agenciesFor(deps.db, actor, existing.id);
  return (await agenciesFor(deps.db, actor, null)).filter((a) => a.id === actor.user.agencyId);
}

/** Agencies chosen that the request may not name (see `agenciesFor`): a field error, or null. */
function agenciesRefused(allowed: Array<{ id: number }>, chosen: number[]) {
  const ids = new Set(allowed.map((a) => a.id));
  return chosen.every((id) => ids.has(id)) ? null : { "agencies[]": "Select agencies from the list" };
}

/** Identity fields are the case's own once it exists: a request on it never carries them. */
const IDENTITY_FIELDS = ["firstName", "lastName", "dobDay", "dobMonth", "dobYear", "address", "nhsNumber", "caseSystemId", "siblings"];

/**
 * Saves what was typed on one question page into the draft, valid or not, so
 * nothing typed is ever lost; returns the page's errors, if any.
 */
export async function saveDraftPage(
  deps: Deps,
  actor: Actor,
  id: number,
  page: "child" | "details",
  values: FormValues,
): Promise<FieldErrors | null> {
  const draft = await getDraft(deps, actor, id);
  if (draft.status !== "draft") throw new AlreadyDone("This request has already been submitted");
  if (riskPageFor(draft)) return { form: "Answer whether the child is at immediate risk of harm first" };
  const errors = validatePage(deps, draft.kind, page, values);
  if (page === "child" && !errors) {
    const reference = referenceIn(values);
    if (reference) {
      // Only someone allowed to see the case may bring it to a panel, and only in its own area.
      const existing = await findVisibleCaseByReference(deps.db, actor.user, reference);
      if (!existing) return { existingReference: "No case with that reference that you can see" };
      for (const field of IDENTITY_FIELDS) delete values[field];
      values.existingReference = reference;
      values.areaId = String(existing.area_id);
    } else if (!(await findAreaById(deps.db, Number(values.areaId)))) {
      return { areaId: "Select the area" };
    }
  }
  if (page === "details" && !errors) {
    const chosen = ([] as string[])
      .concat(values["agencies[]"] ?? [])
      .filter(Boolean)
      .map(Number);
    const refused = agenciesRefused(await requestAgencyChoices(deps, actor, draft), chosen);
    if (refused) return refused;
  }
  await deps.db.transaction().execute(async (trx) => {
    await mergeDraftAnswers(trx, id, values, deps.clock.now());
    await insertAuditEvent(trx, {
      at: deps.clock.now(),
      actorUserId: actor.user.id,
      action: "request.draft_saved",
      recordType: "request",
      recordId: id,
      ip: actor.ip,
      detail: { page },
    });
  });
  return errors;
}

/**
 * The immediate-risk answer, kept on the draft: "no" opens the question pages;
 * "yes" leads to telling the front door, and records nothing until that is
 * sent, so it can be changed until then.
 */
export async function answerRiskQuestion(deps: Deps, actor: Actor, id: number, answer: "yes" | "no") {
  const draft = await getDraft(deps, actor, id);
  if (draft.status !== "draft") throw new AlreadyDone("This request has already been sent");
  await deps.db.transaction().execute(async (trx) => {
    await mergeDraftAnswers(trx, id, { immediateRisk: answer }, deps.clock.now());
    await insertAuditEvent(trx, {
      at: deps.clock.now(),
      actorUserId: actor.user.id,
      action: "request.draft_saved",
      recordType: "request",
      recordId: id,
      ip: actor.ip,
      detail: { page: "risk", immediateRisk: answer },
    });
  });
}

/** Where a draft whose risk question is not answered "no" must go instead of the panel's question pages. */
export function riskPageFor(draft: { id: number; answers: Record<string, unknown> }): string | null {
  if (draft.answers.immediateRisk === "no") return null;
  return draft.answers.immediateRisk === "yes" ? `/requests/${draft.id}/front-door-details` : `/requests/${draft.id}/risk`;
}

function validatePage(deps: Deps, kind: RequestKind, page: "child" | "details", values: FormValues): FieldErrors | null {
  const today = todayIn(deps);
  const schema = page === "child" ? childSchema(today) : kind === "step_up" ? stepUpSchema : stepDownSchema(today);
  const result = validate(schema, values);
  return result.ok ? null : result.errors;
}

export type CompleteAnswers =
  { kind: "step_up"; child: ChildAnswers; details: StepUpAnswers } | { kind: "step_down"; child: ChildAnswers; details: StepDownAnswers };

/** The draft's answers, checked as a whole; which page to send the person back to when incomplete. */
export function checkAnswers(
  deps: Deps,
  kind: RequestKind,
  answers: Record<string, unknown>,
): { ok: true; answers: CompleteAnswers } | { ok: false; page: "risk" | "child" | "details" } {
  // A request reaches a panel only when the child is not at immediate risk, asked and answered.
  if (answers.immediateRisk !== "no") return { ok: false, page: "risk" };
  const today = todayIn(deps);
  const child = validate(childSchema(today), answers);
  if (!child.ok) return { ok: false, page: "child" };
  if (kind === "step_up") {
    const details = validate(stepUpSchema, answers);
    return details.ok ? { ok: true, answers: { kind, child: child.data, details: details.data } } : { ok: false, page: "details" };
  }
  const details = validate(stepDownSchema(today), answers);
  return details.ok ? { ok: true, answers: { kind, child: child.data, details: details.data } } : { ok: false, page: "details" };
}

function journeyEventFor(answers: CompleteAnswers, at: string, immediateRisk: boolean): CaseJourneyEvent {
  if (answers.kind === "step_up") return { type: "REQUEST_STEP_UP", at, immediateRisk };
  return {
    type: "REQUEST_STEP_DOWN",
    at,
    immediateRisk,
    target: answers.details.proposedService,
    familyConsent: answers.details.consent === "given",
    outcomes: outcomeList(answers.details.outcomes),
    proposedLead: answers.details.proposedLead,
  };
}

function startingService(answers: CompleteAnswers): ServiceState {
  if (answers.kind === "step_down") return "social_care";
  return answers.details.currentService === "volunteer_support" ? "volunteer_support" : "early_help";
}

/**
 * Submits a complete draft in one transaction: creates the case (or attaches to
 * an existing one the person may see), drives the journey, flags a bounce back,
 * queues the request for the area's next panel, and audits it.
 */
export async function submitRequest(deps: Deps, actor: Actor, id: number) {
  assertCanSubmit(actor);
  const now = deps.clock.now();
  const at = now.toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const draft = await findOwnRequest(trx, actor.user.id, id, { lock: true });
    if (!draft) throw notFound();
    if (draft.status !== "draft") throw new AlreadyDone("This request has already been submitted");
    const checked = checkAnswers(deps, draft.kind, draft.answers);
    if (!checked.ok) throw new FormError({ form: "Some answers are missing or need changing" });
    const answers = checked.answers;

    let caseId: number;
    let reference: string;
    let areaId: number;
    let lastSteppedDownAt: Date | null = null;
    let possibleMatches: number[] = [];
    const agencyIds = answers.details["agencies[]"];
    if (answers.child.existingReference) {
      const existing = await findVisibleCaseByReference(trx, actor.user, answers.child.existingReference);
      if (!existing) throw new FormError({ existingReference: "No case with that reference that you can see" });
      // The case just found decides which agencies the request may name: no second look-up.
      const refused = agenciesRefused(await agenciesFor(trx, actor, existing.id), agencyIds);
      if (refused) throw new FormError(refused);
      caseId = existing.id;
      reference = existing.reference;
      areaId = existing.area_id;
      lastSteppedDownAt = existing.last_stepped_down_at;
      // The child's identity is the case's: corrections are the case managers' own, audited action.
      if (answers.kind === "step_up") await setCaseHolders(trx, caseId, { leadPractitioner: answers.details.leadPractitioner });
    } else {
      areaId = answers.child.areaId!;
      // A child who may already be known is checked by the chair before the panel (see the agenda item).
      const identity = identityOf(answers.child, draft.answers);
      possibleMatches = identity ? (await findPossibleMatches(trx, identity)).map((m) => m.id) : [];
      const journey = startJourney(startingService(answers));
      reference = await nextCaseReference(trx, DateTime.fromJSDate(now).setZone(ZONE).year);
      const created = await insertCase(trx, {
        reference,
        areaId,
        status: journey.value,
        journey,
        machineVersion: CASE_JOURNEY_VERSION,
        createdBy: actor.user.id,
        at: now,
      });
      caseId = created.id;
      await insertTransition(trx, {
        caseId,
        at: now,
        actorUserId: actor.user.id,
        event: "CREATED",
        from: null,
        to: journey.value,
        requestId: id,
      });
      await updateCaseDetails(trx, caseId, {
        firstName: answers.child.firstName!,
        lastName: answers.child.lastName!,
        dateOfBirth: isoFromParts(draft.answers, "dob"),
        address: answers.child.address ?? null,
        siblings: answers.child.siblings ?? null,
        nhsNumber: answers.child.nhsNumber ?? null,
        caseSystemId: answers.child.caseSystemId ?? null,
        ...(answers.kind === "step_up" ? { leadPractitioner: answers.details.leadPractitioner } : {}),
      });
    }
    await addCaseAgencies(trx, caseId, [actor.user.agencyId, ...agencyIds]);
    // Until a panel decides, the person asking (and their agency) holds the risk.
    await setCaseHolders(trx, caseId, { riskHolder: `${actor.user.name}, ${actor.user.agencyName}` });

    try {
      await driveJourney(trx, caseId, journeyEventFor(answers, at, false), {
        actorUserId: actor.user.id,
        requestId: id,
        reason: `${kindName(answers.kind, { capital: true })} requested`,
      });
    } catch (error) {
      if (error instanceof TransitionRefused) {
        throw new FormError({
          existingReference: `That case is in "${error.from}" and cannot take a ${kindAdjective(answers.kind)} request now`,
        });
      }
      throw error;
    }

    const bounceBack =
      answers.kind === "step_up" &&
      lastSteppedDownAt !== null &&
      DateTime.fromJSDate(lastSteppedDownAt) > DateTime.fromJSDate(now).minus({ months: BOUNCE_BACK_MONTHS });
    await updateRequest(trx, id, {
      status: "awaiting_panel",
      caseId,
      areaId,
      submittedAt: now,
      bounceBack,
      at: now,
    });
    if (possibleMatches.length) await setPossibleMatches(trx, id, possibleMatches);
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: "request.submitted",
      recordType: "case",
      recordId: reference,
      ip: actor.ip,
      detail: {
        request: id,
        kind: answers.kind,
        bounceBack,
        ...(possibleMatches.length ? { possibleMatches: possibleMatches.length } : {}),
      },
    });
    const panel = await placeRequest(trx, deps, { id, caseId, areaId, submittedAt: now });
    return { reference, bounceBack, panelId: panel?.id ?? null };
  });
}

export async function mySubmissions(deps: Deps, actor: Actor) {
  const [rows, questions] = await Promise.all([listSubmissions(deps.db, actor.user.id), listOpenQuestionsFor(deps.db, actor.user.id)]);
  const cases = rows.map((r) => r.reference).filter((r): r is string => Boolean(r));
  if (cases.length) await recordRead(deps, actor, { action: "case.submissions_viewed", cases });
  // A request the chair asked about, waiting for the requester's answer.
  const asked = new Set(questions.map((q) => q.request_id));
  return rows.map((r) => ({ ...r, question_open: asked.has(r.id) }));
}

export async function awaitingPanelQueue(deps: Deps, actor: Actor) {
  if (!may(actor.user, "managePanels")) throw forbidden();
  const rows = await listAwaitingPanel(deps.db, actor.user);
  await recordRead(deps, actor, { action: "case.awaiting_panel_viewed", cases: rows.map((r) => r.reference) });
  return rows;
}

/**
 * Where a sent request stands, in words for the person who sent it: the panel
 * it is on (date, time, area), or plainly why it has none.
 */
export async function requestPlacement(deps: Deps, request: { id: number; status: string }) {
  const panel = request.status === "awaiting_panel" ? await findPanelForWaitingRequest(deps.db, request.id) : undefined;
  if (panel) {
    return {
      panel: {
        id: panel.id,
        extraordinary: panel.kind === "extraordinary",
        when: `${formatDate(panel.meeting_date)}, ${formatTime(panel.starts_at)} to ${formatTime(panel.ends_at)}`,
        area: panel.area_name,
      },
      why: null,
    };
  }
  const why =
    request.status === "awaiting_panel"
      ? "It is not on a panel yet: the area has no panel schedule. It will go on the area's first panel as soon as one is set."
      : request.status === "front_door"
        ? "It does not go to a panel: the child is at immediate risk, so the case went to the front door."
        : request.status === "decided"
          ? "The panel has decided this request."
          : "It is no longer waiting for a panel.";
  return { panel: null, why };
}

export async function referralReference(deps: Deps, actor: Actor, id: number): Promise<string> {
  const draft = await getDraft(deps, actor, id);
  if (!draft.case_id) throw notFound();
  const reference = await findCaseReferenceById(deps.db, draft.case_id);
  if (!reference) throw notFound();
  return reference;
}
