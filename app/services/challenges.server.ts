import { answersChallenge, stageManagerRole } from "../../domain/challenge-stages";
import type { AuditAction, AuditDetail } from "../../domain/audit";
import { recordRead } from "./audit-trail.server";
import { DateTime } from "luxon";
import type { z } from "zod";
import type { Database } from "../../db/connect";
import { insertAuditEvent } from "../../db/queries/audit";
import {
  findChallenge,
  insertChallenge,
  insertChallengeEvent,
  listChallengeEvents,
  listChallengeRegister,
  listOpenChallengesFor,
  lockChallenge,
  updateChallengeIfUnchanged,
  type RegisterFilters,
} from "../../db/queries/challenges";
import { findCaseReferenceById, findVisibleCaseByReference, listDecisionsWithRequester } from "../../db/queries/cases";
import { listActiveUserIdsByRole } from "../../db/queries/users";
import { findDecisionMakerId } from "../../db/queries/decisions";
import { scheduleJob } from "../../db/queries/jobs";
import { findListedItemForRequest, updateAgendaItem } from "../../db/queries/agenda";
import { listPanelsAttendedBy } from "../../db/queries/attendance";
import { listUsersByIds } from "../../db/queries/users";
import { openRequestForCase, updateRequest } from "../../db/queries/requests";
import type { ChallengeStatus } from "../../db/schema";
import { challengeNoticeEmail, type ChallengeNoticeKind } from "../../emails/challenge-notice";
import { enqueueEmail } from "../../emails/outbox";
import {
  applyChallengeEvent,
  INITIAL_CHALLENGE,
  isOpen,
  type ChallengeEvent,
  type ChallengeState,
  type PersistedChallenge,
  type Stage,
} from "../../machines/challenge/challenge.machine";
import { registerFilterSchema, type challengeResolveSchema, type raiseChallengeSchema } from "../forms/challenge";
import { stageDeadline } from "../lib/challenge-deadlines";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { ZONE } from "../lib/dates";
import { FormError, TransitionRefused } from "../lib/errors";
import { addWorkingDays, workingDaysBefore } from "../lib/working-days";
import { toCsv } from "../lib/csv";
import { drive, isRefused, type MachineRecord } from "./machine-driver.server";
import { badRequest, forbidden, notFound } from "./authorise.server";
import { driveJourney } from "./case-journey.server";
import { cancelSlotInvites } from "./panel-invites.server";
import { may, mayInArea } from "../lib/policy";
import { CHALLENGE_STATE_LABELS, STAGE_LABELS } from "../lib/state-labels";

/** A challenge may be raised during the meeting or within this many working days after the decision. */
export const RAISE_WINDOW_WORKING_DAYS = 10;

type ChallengeRow = NonNullable<Awaited<ReturnType<typeof lockChallenge>>>;

const stageOf = (n: number) => `stage${n}` as Stage;

/** The managers whose turn it is at a stage, in the challenge's area (domain/challenge-stages.ts). */
async function stageManagerIds(trx: Database, areaId: number, stage: number) {
  const role = stageManagerRole(stage);
  return role ? listActiveUserIdsByRole(trx, role, areaId) : [];
}

/** Who answers at a stage, and so is told of it: the two practitioners, then the managers whose turn it is. */
async function stageParticipants(
  trx: Database,
  c: Pick<ChallengeRow, "stage" | "area_id" | "raised_by_user_id" | "respondent_user_id">,
  stage = c.stage,
) {
  const ids = new Set<number>([c.raised_by_user_id]);
  if (c.respondent_user_id) ids.add(c.respondent_user_id);
  for (const id of await stageManagerIds(trx, c.area_id, stage)) ids.add(id);
  return (await listUsersByIds(trx, [...ids])).filter((u) => u.active);
}

function mayAnswer(actor: Actor, c: Pick<ChallengeRow, "stage" | "area_id" | "raised_by_user_id" | "respondent_user_id">) {
  return answersChallenge(actor.user, c);
}

async function notify(
  trx: Database,
  deps: Deps,
  c: { id: number; reference: string; stage: number },
  people: Array<{ id: number; email: string }>,
  kind: ChallengeNoticeKind,
  deadline: Date | null,
  at: Date,
  wentTo: string[] = [],
) {
  const email = challengeNoticeEmail({
    kind,
    reference: c.reference,
    stageLabel: c.stage ? STAGE_LABELS[stageOf(c.stage)] : "raised",
    deadline,
    wentTo,
    url: `${appUrlOf(deps)}/challenges/${c.id}`,
  });
  for (const person of people) {
    await enqueueEmail(
      trx,
      { ...email, key: `challenge:${c.id}:${kind}:stage${c.stage}:to:${person.id}`, kind: `challenge_${kind}`, to: person.email },
      at,
    );
  }
}

/** The timers for a stage: a reminder a working day before its deadline, and the deadline itself. */
async function scheduleStageTimers(trx: Database, challengeId: number, stage: number, deadline: Date, now: Date) {
  await scheduleJob(trx, {
    key: `challenge:${challengeId}:stage:${stage}:deadline`,
    kind: "challenge.deadline",
    payload: { challengeId, stage },
    runAt: deadline,
    at: now,
  });
  const dayBefore = DateTime.fromISO(workingDaysBefore(DateTime.fromJSDate(deadline).setZone(ZONE).toISODate()!, 1), { zone: ZONE })
    .set({ hour: 9, minute: 0 })
    .toJSDate();
  if (dayBefore > now) {
    await scheduleJob(trx, {
      key: `challenge:${challengeId}:stage:${stage}:reminder`,
      kind: "challenge.reminder",
      payload: { challengeId, stage },
      runAt: dayBefore,
      at: now,
    });
  }
}

/** Runs one machine event on a locked challenge through the one driver and records it. */
async function driveChallenge(
  trx: Database,
  c: ChallengeRow,
  event: ChallengeEvent,
  options: {
    actorUserId: number | null;
    expectedVersion?: number;
    text?: string | null;
    extra?: { resolution?: string | null; changedTo?: string | null };
  },
) {
  const step = await drive(trx, challengeMachine(options), c, event, { expectedVersion: options.expectedVersion });
  c.stage = step.next.context.stage;
  c.machine = step.next;
  return step;
}

/** A challenge as the driver keeps it: `status` + `stage`, deadline and overdue flag + `machine` snapshot + `challenge_events`. */
function challengeMachine(options: {
  actorUserId: number | null;
  text?: string | null;
  extra?: { resolution?: string | null; changedTo?: string | null };
}): MachineRecord<ChallengeRow, ChallengeEvent, ChallengeState, PersistedChallenge> {
  return {
    name: "challenge",
    apply(row, event) {
      const step = applyChallengeEvent(row.machine as PersistedChallenge, event);
      return step.ok ? { ok: true, from: step.from, to: step.to, next: step.challenge } : step;
    },
    label: (state) => CHALLENGE_STATE_LABELS[state as ChallengeState] ?? state,
    write(trx, row, step, event) {
      const ctx = step.next.context;
      return updateChallengeIfUnchanged(trx, row.id, row.version, {
        status: step.to as ChallengeStatus,
        stage: ctx.stage,
        machine: step.next,
        deadlineAt: isOpen(step.to) && ctx.deadline ? new Date(ctx.deadline) : null,
        overdue: ctx.overdue,
        at: new Date(event.at),
        closed: !isOpen(step.to),
        ...(options.extra ?? {}),
      });
    },
    async record(trx, row, step, event) {
      await insertChallengeEvent(trx, {
        challengeId: row.id,
        at: new Date(event.at),
        actorUserId: options.actorUserId,
        event: event.type,
        from: step.from,
        to: step.to,
        text: options.text ?? null,
      });
    },
  };
}

/**
 * A case's decisions, each with the last moment it may be challenged and
 * whether this person may challenge it now: within the window, and they made
 * the request, made the decision or were invited to the panel.
 */
async function decisionsOpenTo(deps: Deps, actor: Actor, caseId: number) {
  const now = deps.clock.now();
  const rows = await listDecisionsWithRequester(deps.db, caseId);
  const tookPart = await listPanelsAttendedBy(
    deps.db,
    actor.user.id,
    rows.map((r) => r.panel_id).filter((x): x is number => x !== null),
  );
  return rows.map((r) => {
    const until = addWorkingDays(new Date(r.decided_at), RAISE_WINDOW_WORKING_DAYS);
    const party =
      r.submitted_by_user_id === actor.user.id ||
      r.decided_by_user_id === actor.user.id ||
      (r.panel_id !== null && tookPart.has(r.panel_id));
    return { ...r, until, inWindow: until >= now, party };
  });
}

/** The decisions on a case someone may challenge now, with the last day they may. */
export async function challengeableDecisions(deps: Deps, actor: Actor, caseId: number) {
  return (await decisionsOpenTo(deps, actor, caseId)).filter((d) => d.inWindow && d.party);
}

/** Raises a challenge: recorded, stage 1 started with its deadline, the other side told, timers set. */
export async function raiseChallenge(deps: Deps, actor: Actor, reference: string, input: z.output<typeof raiseChallengeSchema>) {
  if (!may(actor.user, "takePart")) throw forbidden();
  const found = await findVisibleCaseByReference(deps.db, actor.user, reference);
  if (!found) throw notFound();
  const now = deps.clock.now();
  const decision = (await decisionsOpenTo(deps, actor, found.id)).find((d) => d.id === input.decisionId);
  if (!decision) throw new FormError({ decisionId: "Choose the decision you disagree with" });
  if (!decision.inWindow || !decision.party) {
    throw new FormError({
      decisionId: !decision.inWindow
        ? `A challenge must be raised within ${RAISE_WINDOW_WORKING_DAYS} working days of the decision; that window has closed`
        : "Only people who took part in the decision, or who made the request, can challenge it",
    });
  }
  return deps.db.transaction().execute(async (trx) => {
    const { id } = await insertChallenge(trx, {
      case_id: found.id,
      decision_id: decision.id,
      panel_id: decision.panel_id,
      area_id: found.area_id,
      raised_by_user_id: actor.user.id,
      raiser_agency_id: actor.user.agencyId,
      respondent_user_id: decision.decided_by_user_id === actor.user.id ? null : decision.decided_by_user_id,
      disagreement: input.disagreement,
      category: input.category,
      reason: input.reason,
      risk_holder: input.riskHolder,
      status: "raised",
      machine: INITIAL_CHALLENGE,
      at: now,
    });
    const row = (await lockChallenge(trx, id))!;
    const deadline = stageDeadline(now, 1, deps.settings?.challengeStageDays);
    await driveChallenge(
      trx,
      row,
      { type: "START", at: now.toISOString(), deadline: deadline.toISOString() },
      // One history entry for raising it: who, when, why, and the stage it starts at.
      { actorUserId: actor.user.id, text: input.reason },
    );
    await scheduleStageTimers(trx, id, 1, deadline, now);
    const people = (await stageParticipants(trx, row)).filter((p) => p.id !== actor.user.id);
    await notify(trx, deps, { id, reference: found.reference, stage: 1 }, people, "raised", deadline, now);
    await audit(trx, actor, now, "challenge.raised", found.reference, { challengeId: id, category: input.category });
    return id;
  });
}

async function openForAction(trx: Database, actor: Actor, id: number) {
  const c = await lockChallenge(trx, id);
  if (!c) throw notFound();
  if (!mayAnswer(actor, c)) throw notFound();
  return c;
}

async function referenceOf(trx: Database, caseId: number) {
  const reference = await findCaseReferenceById(trx, caseId);
  if (!reference) throw notFound();
  return reference;
}

/**
 * Escalates a challenge to the next stage. Escalation always reaches someone
 * independent of the decision: a stage whose managers in the area are only
 * the decision's maker (or nobody) is passed over, and that is recorded.
 * Returns the stage reached and who it went to, for the person escalating.
 */
export async function escalateChallenge(deps: Deps, actor: Actor, id: number, input: { version: number; reason: string }) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const c = await openForAction(trx, actor, id);
    if (c.status === "stage5")
      throw new FormError({ reason: "This challenge is at the last stage (the safeguarding partnership): resolve it there" });
    const deadline = stageDeadline(now, c.stage + 1, deps.settings?.challengeStageDays);
    await driveChallenge(
      trx,
      c,
      { type: "ESCALATE", at: now.toISOString(), reason: input.reason, deadline: deadline.toISOString() },
      { actorUserId: actor.user.id, expectedVersion: input.version, text: input.reason },
    ).catch((error: unknown) => {
      throw isRefused(error) ? new FormError({ reason: "This challenge is closed and cannot be escalated" }) : error;
    });
    const decider = await findDecisionMakerId(trx, c.decision_id);
    let reached = deadline;
    for (;;) {
      const managers = await stageManagerIds(trx, c.area_id, c.stage);
      if (c.stage < 2 || c.stage >= 5 || managers.some((m) => m !== decider)) break;
      const label = STAGE_LABELS[stageOf(c.stage)];
      reached = stageDeadline(now, c.stage + 1, deps.settings?.challengeStageDays);
      await driveChallenge(
        trx,
        c,
        {
          type: "ESCALATE",
          at: now.toISOString(),
          reason: `Passed over ${label}: nobody there is independent of the decision`,
          deadline: reached.toISOString(),
        },
        { actorUserId: null, text: `Passed over ${label}: nobody there is independent of the decision.` },
      );
    }
    await scheduleStageTimers(trx, id, c.stage, reached, now);
    const reference = await referenceOf(trx, c.case_id);
    const managerIds = new Set((await stageManagerIds(trx, c.area_id, c.stage)).filter((m) => m !== decider));
    const participants = await stageParticipants(trx, c);
    const wentTo = participants.filter((p) => managerIds.has(p.id));
    await notify(
      trx,
      deps,
      { id, reference, stage: c.stage },
      participants.filter((p) => p.id !== actor.user.id),
      "escalated",
      reached,
      now,
      wentTo.map((p) => p.name),
    );
    await audit(trx, actor, now, "challenge.escalated", reference, { challengeId: id, stage: c.stage });
    return { stage: c.stage, stageLabel: STAGE_LABELS[stageOf(c.stage)], wentTo: wentTo.map((p) => p.name) };
  });
}

export async function respondToChallenge(deps: Deps, actor: Actor, id: number, input: { text: string }) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const c = await openForAction(trx, actor, id);
    if (!isOpen(c.status as ChallengeState)) throw new FormError({ text: "This challenge is closed" });
    await insertChallengeEvent(trx, {
      challengeId: id,
      at: now,
      actorUserId: actor.user.id,
      event: "RESPONSE",
      from: c.status,
      to: c.status,
      text: input.text,
    });
    await audit(trx, actor, now, "challenge.responded", await referenceOf(trx, c.case_id), { challengeId: id });
  });
}

/**
 * Resolves a challenge. When the decision changes, the case journey follows in
 * the same transaction, its history saying why.
 */
export async function resolveChallenge(deps: Deps, actor: Actor, id: number, input: z.output<typeof challengeResolveSchema>) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const c = await openForAction(trx, actor, id);
    const reference = await referenceOf(trx, c.case_id);
    await driveChallenge(
      trx,
      c,
      { type: "RESOLVE", at: now.toISOString(), resolution: input.resolution, reason: input.reason },
      {
        actorUserId: actor.user.id,
        expectedVersion: input.version,
        text: input.reason,
        extra: { resolution: input.resolution, changedTo: input.changedTo ?? null },
      },
    ).catch((error: unknown) => {
      throw isRefused(error) ? new FormError({ resolution: "This challenge is closed" }) : error;
    });
    if (input.resolution === "decision_changed" && input.changedTo) {
      try {
        await driveJourney(
          trx,
          c.case_id,
          { type: "DECISION_CHANGED", at: now.toISOString(), to: input.changedTo },
          {
            actorUserId: actor.user.id,
            reason: `Professional challenge ${id}: decision changed. ${input.reason}`,
          },
        );
      } catch (error) {
        if (error instanceof TransitionRefused) {
          throw new FormError({ changedTo: `The case is "${error.from}" and cannot move there: choose another service` });
        }
        throw error;
      }
    }
    await notify(
      trx,
      deps,
      { id, reference, stage: c.stage },
      (await stageParticipants(trx, c)).filter((p) => p.id !== actor.user.id),
      "resolved",
      null,
      now,
    );
    await audit(trx, actor, now, "challenge.resolved", reference, { challengeId: id, resolution: input.resolution });
  });
}

export async function withdrawChallenge(deps: Deps, actor: Actor, id: number, input: { version: number; reason: string }) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const c = await openForAction(trx, actor, id);
    if (c.raised_by_user_id !== actor.user.id) throw forbidden();
    await driveChallenge(
      trx,
      c,
      { type: "WITHDRAW", at: now.toISOString(), reason: input.reason },
      { actorUserId: actor.user.id, expectedVersion: input.version, text: input.reason },
    ).catch((error: unknown) => {
      throw isRefused(error) ? new FormError({ reason: "This challenge is closed" }) : error;
    });
    const reference = await referenceOf(trx, c.case_id);
    await notify(
      trx,
      deps,
      { id, reference, stage: c.stage },
      (await stageParticipants(trx, c)).filter((p) => p.id !== actor.user.id),
      "withdrawn",
      null,
      now,
    );
    await audit(trx, actor, now, "challenge.withdrawn", reference, { challengeId: id });
  });
}

/** Immediate risk at any point: the case goes to the front door at once. */
export async function referChallengeToFrontDoor(deps: Deps, actor: Actor, id: number, input: { version: number; reason: string }) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const c = await openForAction(trx, actor, id);
    await driveChallenge(
      trx,
      c,
      { type: "IMMEDIATE_RISK", at: now.toISOString() },
      { actorUserId: actor.user.id, expectedVersion: input.version, text: input.reason },
    ).catch((error: unknown) => {
      throw isRefused(error) ? new FormError({ reason: "This challenge is closed" }) : error;
    });
    const open = await openRequestForCase(trx, c.case_id);
    await driveJourney(
      trx,
      c.case_id,
      { type: "REFER_TO_FRONT_DOOR", at: now.toISOString() },
      {
        actorUserId: actor.user.id,
        reason: `Immediate risk identified during professional challenge ${id}. ${input.reason}`,
        requestId: open?.id ?? null,
      },
    );
    if (open) {
      await updateRequest(trx, open.id, { status: "front_door", at: now });
      const item = await findListedItemForRequest(trx, open.id);
      if (item) {
        await updateAgendaItem(trx, item.id, { status: "withdrawn" });
        await cancelSlotInvites(trx, item.panel_id, [item.id], appUrlOf(deps), now);
      }
    }
    const reference = await referenceOf(trx, c.case_id);
    await notify(
      trx,
      deps,
      { id, reference, stage: c.stage },
      (await stageParticipants(trx, c)).filter((p) => p.id !== actor.user.id),
      "front_door",
      null,
      now,
    );
    await audit(trx, actor, now, "challenge.front_door", reference, { challengeId: id });
  });
}

/** Job: a stage's deadline passed. Marks it overdue; tells both sides and the next stage's managers. */
export async function challengeDeadlineJob(trx: Database, deps: Deps, payload: Record<string, unknown>) {
  const c = await lockChallenge(trx, Number(payload.challengeId));
  if (!c) return;
  const now = deps.clock.now();
  const step = await driveChallenge(
    trx,
    c,
    { type: "DEADLINE_PASSED", at: now.toISOString(), stage: Number(payload.stage) },
    { actorUserId: null, text: "Response deadline passed" },
  ).catch((error: unknown) => {
    if (isRefused(error)) return null;
    throw error;
  });
  // Refused: already escalated, resolved or marked. A stale timer does nothing.
  if (!step) return;
  const reference = await referenceOf(trx, c.case_id);
  const here = await stageParticipants(trx, c);
  const next = c.stage < 5 ? await stageParticipants(trx, c, c.stage + 1) : [];
  const everyone = new Map([...here, ...next].map((p) => [p.id, p]));
  await notify(trx, deps, { id: c.id, reference, stage: c.stage }, [...everyone.values()], "overdue", null, now);
}

/** Job: a working day before a stage's deadline, remind the people who must answer. */
export async function challengeReminderJob(trx: Database, deps: Deps, payload: Record<string, unknown>) {
  const c = await lockChallenge(trx, Number(payload.challengeId));
  if (!c || c.stage !== Number(payload.stage) || c.overdue || !isOpen(c.status as ChallengeState)) return;
  const reference = await referenceOf(trx, c.case_id);
  const people = (await stageParticipants(trx, c)).filter((p) => p.id !== c.raised_by_user_id);
  await notify(trx, deps, { id: c.id, reference, stage: c.stage }, people, "reminder", c.deadline_at, deps.clock.now());
}

export const CHALLENGE_JOBS = { "challenge.deadline": challengeDeadlineJob, "challenge.reminder": challengeReminderJob };

export async function viewChallenge(deps: Deps, actor: Actor, id: number) {
  const c = await findChallenge(deps.db, id);
  if (!c) throw notFound();
  const managerInArea = mayInArea(actor.user, "managePanels", c.area_id);
  if (!managerInArea && !mayAnswer(actor, c)) throw notFound();
  const [events, decider, managers] = await Promise.all([
    listChallengeEvents(deps.db, id),
    findDecisionMakerId(deps.db, c.decision_id),
    stageManagerIds(deps.db, c.area_id, c.stage),
  ]);
  const withManagers = isOpen(c.status as ChallengeState)
    ? (
        await listUsersByIds(
          deps.db,
          managers.filter((m) => m !== decider),
        )
      )
        .filter((u) => u.active)
        .map((u) => u.name)
    : [];
  await insertAuditEvent(deps.db, {
    at: deps.clock.now(),
    actorUserId: actor.user.id,
    action: "challenge.viewed",
    recordType: "case",
    recordId: c.reference,
    ip: actor.ip,
    detail: { challengeId: id },
  });
  return {
    challenge: c,
    events,
    mayAct: mayAnswer(actor, c) && isOpen(c.status as ChallengeState),
    isRaiser: c.raised_by_user_id === actor.user.id,
    stateLabel: CHALLENGE_STATE_LABELS[c.status as ChallengeState],
    /** The managers the challenge is with at its stage (none at stage 1 or at the partnership). */
    withManagers,
  };
}

export async function myChallenges(deps: Deps, actor: Actor) {
  return listOpenChallengesFor(deps.db, actor.user);
}

/** The challenges page: the person's open challenges, audited as a read of their cases. */
export async function viewMyChallenges(deps: Deps, actor: Actor) {
  const rows = await myChallenges(deps, actor);
  if (rows.length) await recordRead(deps, actor, { action: "challenge.list_viewed", cases: rows.map((r) => r.reference) });
  return rows;
}

function daysOpen(c: { created_at: Date; closed_at: Date | null }, now: Date) {
  return Math.floor(((c.closed_at ?? now).getTime() - new Date(c.created_at).getTime()) / (24 * 3600_000));
}

/** The register with its filters, and counts by category and agency for the insight pages. */
export async function challengeRegister(deps: Deps, actor: Actor, filters: RegisterFilters, as: "page" | "export" = "page") {
  if (!may(actor.user, "managePanels")) throw forbidden();
  const now = deps.clock.now();
  const rows = (await listChallengeRegister(deps.db, actor.user, filters)).map((r) => ({ ...r, days_open: daysOpen(r, now) }));
  const count = (key: (r: (typeof rows)[number]) => string) =>
    [...rows.reduce((m, r) => m.set(key(r), (m.get(key(r)) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1]);
  await insertAuditEvent(deps.db, {
    at: now,
    actorUserId: actor.user.id,
    action: as === "export" ? "challenge.register_exported" : "challenge.register_viewed",
    ip: actor.ip,
    detail: { rows: rows.length, cases: [...new Set(rows.map((r) => r.reference))], filters },
  });
  return { rows, byCategory: count((r) => r.category), byAgency: count((r) => r.agency_name) };
}

/** The register's filters from a query string; unreadable filters are a 400. */
export function registerFilters(params: Record<string, string>): RegisterFilters {
  const parsed = registerFilterSchema.safeParse(params);
  if (!parsed.success) throw badRequest("Those filters could not be read");
  const f = parsed.data;
  return {
    areaId: f.area,
    agencyId: f.agency,
    status: f.status,
    category: f.category,
    overdue: f.overdue === undefined ? undefined : f.overdue === "yes",
    resolution: f.outcome,
  };
}

/** The register as CSV: case references and professional details only, never a child's. */
export function registerCsv(rows: Awaited<ReturnType<typeof challengeRegister>>["rows"]) {
  return toCsv(
    [
      "id",
      "case_reference",
      "area",
      "raised_by_agency",
      "raised_by",
      "category",
      "status",
      "overdue",
      "outcome",
      "raised_at",
      "closed_at",
      "days_open",
      "risk_holder",
    ],
    rows.map((r) => [
      r.id,
      r.reference,
      r.area_name,
      r.agency_name,
      r.raiser_name,
      r.category,
      CHALLENGE_STATE_LABELS[r.status as ChallengeState],
      r.overdue ? "yes" : "no",
      r.resolution ?? "",
      new Date(r.created_at).toISOString(),
      r.closed_at ? new Date(r.closed_at).toISOString() : "",
      r.days_open,
      r.risk_holder,
    ]),
  );
}

async function audit(trx: Database, actor: Actor, at: Date, action: AuditAction, reference: string, detail: AuditDetail) {
  await insertAuditEvent(trx, { at, actorUserId: actor.user.id, action, recordType: "case", recordId: reference, ip: actor.ip, detail });
}
