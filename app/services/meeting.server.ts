import { DECISION_LABELS } from "../lib/labels";
import type { RequestKind } from "../lib/request-kind";
import { actionAssignedEmail } from "../../emails/action-assigned";
import { insertAuditEvent } from "../../db/queries/audit";
import { findCaseReferenceById } from "../../db/queries/cases";
import { findAgendaItem, listAgendaItems } from "../../db/queries/agenda";
import { findRoutinePanelOn, findSessionStart, findVisiblePanel, updatePanelIfUnchanged } from "../../db/queries/panels";
import { insertAction, listPanelActions } from "../../db/queries/actions";
import { listAreaPeople, listUsersByIds } from "../../db/queries/users";
import { addPresentAttendee, listAttendees, setAttendance } from "../../db/queries/attendance";
import { listPanelDecisions } from "../../db/queries/decisions";
import { listRequestAnswers } from "../../db/queries/requests";
import { enqueueEmail } from "../../emails/outbox";
import { eventsToStart } from "../../machines/panel/panel.machine";
import type { z } from "zod";
import type { actionSchema, addAttendeeSchema, attendanceSchema, goAheadWithoutSchema, itemDecisionSchema } from "../forms/panel";
import { isoFromParts } from "../lib/dates";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { FormError } from "../lib/errors";
import { DateTime } from "luxon";
import { formatDate, ZONE } from "../lib/dates";
import { refreshSlotInvites, sendPanelInvites } from "./panel-invites.server";
import { invitePartnerInTransaction } from "./admin.server";
import { forbidden, notFound } from "./authorise.server";
import { decideInTransaction, resolveChosenPerson } from "./cases.server";
import { drivePanel } from "./panel-lifecycle.server";
import { isRefused } from "./machine-driver.server";
import { assertOffered, audit, chairPanel, touchPanel } from "./panel-access.server";
import { agendaFor } from "./agenda.server";
import { minutesAwaitingApproval } from "./minutes-approval.server";
import { hasDeclaredInterest, listDeclarations } from "../../db/queries/declarations";
import { goingAheadLabel, isQuorate, notRepresented, othersShort, type Quorum } from "../lib/quorum";
import { estimateForAgenda } from "../lib/live-estimate";
import { workingDaysAfter } from "../lib/working-days";

/** The area's quorum, as the panel's row carries it. */
function quorumOf(panel: { quorum_kinds: Quorum["kinds"]; quorum_others: number }): Quorum {
  return { kinds: panel.quorum_kinds, others: panel.quorum_others };
}

/**
 * Everything the chair needs in the room, in a fixed number of queries: the
 * item in hand (the one asked for, or the first undecided) comes with what
 * its requester wrote.
 */
export async function viewMeeting(deps: Deps, actor: Actor, panelId: number, chosenItemId: number | null = null) {
  const agenda = await agendaFor(deps, actor, panelId);
  if (!agenda.mayChair) throw forbidden();
  // The item asked for, else the one under discussion, else the first still to decide.
  const current =
    agenda.items.find((i) => i.id === chosenItemId) ??
    agenda.items.find((i) => i.id === agenda.panel.current_item_id) ??
    agenda.items.find((i) => i.status === "listed") ??
    null;
  const live = estimateForAgenda(agenda.panel, agenda.items, deps.clock.now());
  const [decisions, actions, owners, answers, minutesToApprove] = await Promise.all([
    listPanelDecisions(deps.db, panelId),
    listPanelActions(deps.db, panelId),
    listAreaPeople(deps.db, agenda.panel.area_id),
    listRequestAnswers(deps.db, current ? [current.request_id] : []),
    // The last panel's minutes, while they wait for the core members' approval: the first business.
    minutesAwaitingApproval(deps.db, agenda.panel),
  ]);
  const currentAnswers = current ? ((answers[0]?.answers ?? {}) as Record<string, unknown>) : null;
  // The chairing page shows each case's decision and risk holder: a read of those cases.
  await insertAuditEvent(deps.db, {
    at: deps.clock.now(),
    actorUserId: actor.user.id,
    action: "panel.meeting_viewed",
    recordType: "panel",
    recordId: panelId,
    ip: actor.ip,
    detail: { cases: agenda.items.map((i) => i.reference) },
  });
  const quorum = quorumOf(agenda.panel);
  const missing = notRepresented(agenda.attendees, agenda.panel.going_ahead_without, quorum);
  const short = othersShort(agenda.attendees, agenda.panel.going_ahead_without, quorum);
  // A step down's transfer meeting or joint visit is due within the area's working days of the panel (five by default): the date the form starts with.
  const transferWithin = agenda.panel.transfer_within_days;
  const transferBy = workingDaysAfter(agenda.panel.meeting_date, transferWithin);
  return {
    ...agenda,
    minutesToApprove,
    decisions,
    actions,
    owners,
    missing,
    othersShort: short,
    quorum: { ...quorum, quorate: isQuorate(agenda.attendees, quorum) },
    current,
    currentAnswers,
    live,
    transferBy,
    transferWithin,
  };
}

/**
 * Adds someone who joined without an invitation, as present: a user of the
 * area (once), or a guest without an account (name, role and agency). Their
 * agency counts as represented. They see no more of the panel than before.
 */
export async function addAttendee(deps: Deps, actor: Actor, panelId: number, input: z.output<typeof addAttendeeSchema>) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, null, async (trx, panel) => {
    if (panel.status !== "in_session") throw new FormError({ form: "Start the meeting before recording who is there" });
    const attendees = await listAttendees(trx, [panelId]);
    let added: number | null;
    if (input.person === "guest") {
      const agencyId = Number(input.guestAgencyId);
      await assertOffered(trx, panel.area_id, { agencyIds: [agencyId] }).catch(() => {
        throw new FormError({ guestAgencyId: "Choose the agency from the list" });
      });
      const name = input.guestName!;
      const same = attendees.find((a) => a.user_id === null && a.name.toLowerCase() === name.toLowerCase() && a.agency_id === agencyId);
      if (same) throw new FormError({ guestName: `${same.name} is already on the attendance list` });
      added = await addPresentAttendee(trx, panelId, { guestName: name, guestRole: input.guestRole!, agencyId }, input.joinedAs);
    } else {
      const userId = Number(input.person);
      await assertOffered(trx, panel.area_id, { userIds: [userId] }).catch(() => {
        throw new FormError({ person: "Choose who has joined from the list" });
      });
      const already = attendees.find((a) => a.user_id === userId);
      if (already) throw new FormError({ person: `${already.name} is already on the attendance list: mark them present there` });
      const [user] = await listUsersByIds(trx, [userId]);
      if (!user?.active) throw new FormError({ person: "That person's account is deactivated: add them as someone without an account" });
      added = await addPresentAttendee(trx, panelId, { userId }, input.joinedAs);
    }
    if (added === null) throw new FormError({ person: "That person is already on the attendance list" });
    await touchPanel(trx, panel, now);
    await audit(trx, actor, now, "panel.attendee_added", panelId, { attendeeId: added, guest: input.person === "guest" });
  });
}

/** Records why the panel goes ahead without children's social care or early help; the warning then clears. */
export async function goAheadWithout(deps: Deps, actor: Actor, panelId: number, input: z.output<typeof goAheadWithoutSchema>) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    if (panel.status !== "in_session") throw new FormError({ form: "Start the meeting first" });
    const reasons = { ...(panel.going_ahead_without ?? {}), [input.kind]: input.reason };
    await touchPanel(trx, panel, now, { goingAheadWithout: reasons });
    await audit(trx, actor, now, "panel.going_ahead_without", panelId, { kind: input.kind, reason: input.reason });
  });
}

/**
 * Closes the agenda and starts the meeting. A panel is run on its day: starting
 * before it needs the chair's reason ("moved forward by agreement"), which is
 * recorded, shown in the minutes, and moves the panel to today, so invitees'
 * calendars follow (same UID, higher SEQUENCE).
 */
export async function startMeeting(deps: Deps, actor: Actor, panelId: number, input: { version: number; earlyReason?: string | null }) {
  const now = deps.clock.now();
  const today = DateTime.fromJSDate(now).setZone(ZONE).toISODate()!;
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    const events = eventsToStart(panel.status, now.toISOString());
    if (!events.length) throw new FormError({ form: "This panel cannot start now" });
    const early = panel.meeting_date > today;
    const reason = input.earlyReason?.trim() || null;
    if (early && !reason) {
      throw new FormError({
        earlyReason: `This panel is planned for ${formatDate(panel.meeting_date)}. Say why it is starting early, for example "moved forward by agreement"`,
      });
    }
    if (early && panel.kind === "routine" && (await findRoutinePanelOn(trx, panel.area_id, today))) {
      throw new FormError({ earlyReason: "This area already has a panel today: run that one, or move this one from its agenda page" });
    }
    for (const event of events) {
      await drivePanel(trx, panel, event, { actorUserId: actor.user.id, reason: early && event.type === "START" ? reason : null });
    }
    if (early) {
      const length = new Date(panel.ends_at).getTime() - new Date(panel.starts_at).getTime();
      await touchPanel(trx, panel, now, {
        meetingDate: today,
        startsAt: now,
        endsAt: new Date(now.getTime() + length),
        heldEarly: { from: panel.meeting_date, reason: reason! },
        bumpInvite: true,
      });
      await sendPanelInvites(trx, panelId, "updated", appUrlOf(deps), now);
      await refreshSlotInvites(trx, panelId, appUrlOf(deps), now);
      await audit(trx, actor, now, "panel.started_early", panelId, { plannedFor: panel.meeting_date, reason });
    } else {
      // An agenda never sent goes now: everyone invited for an item hears of it before it is discussed.
      if (!panel.agenda_sent_at) await refreshSlotInvites(trx, panelId, appUrlOf(deps), now);
      await audit(trx, actor, now, "panel.started", panelId, {});
    }
  });
}

export async function recordAttendance(
  deps: Deps,
  actor: Actor,
  panelId: number,
  version: number,
  marks: z.output<typeof attendanceSchema>,
) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, version, async (trx, panel) => {
    if (panel.status !== "in_session") throw new FormError({ form: "Start the meeting before recording attendance" });
    await setAttendance(trx, panelId, marks);
    await touchPanel(trx, panel, now);
    await audit(trx, actor, now, "panel.attendance_recorded", panelId, { marked: marks.length });
  });
}

const onAgenda = (item: { status: string }) => item.status === "listed" || item.status === "decided";

/**
 * One item's decision: the decision's rows and the case journey in one
 * transaction. A stale form (someone else decided) gets a clear conflict.
 */
export async function decideItem(deps: Deps, actor: Actor, panelId: number, input: z.output<ReturnType<typeof itemDecisionSchema>>) {
  return chairPanel(deps, actor, panelId, null, async (trx, panel) => {
    if (panel.status !== "in_session") throw new FormError({ form: "Start the meeting before recording decisions" });
    const item = await findAgendaItem(trx, input.itemId);
    if (!item || item.panel_id !== panelId) throw notFound();
    if (item.status !== "listed") throw new FormError({ outcome: "This item has already been decided or has left the agenda" });
    if (await hasDeclaredInterest(trx, item.id, actor.user.id)) {
      throw new FormError({
        form: "You declared an interest in this item, so you take no part in its decision: another manager for the area records it.",
      });
    }
    const caseRow = { id: item.case_id, reference: (await findCaseReferenceById(trx, item.case_id))! };
    // While an item is under discussion, a decision is that item's alone: a form drawn for another
    // item (a page left open while the chair moved on) records nothing.
    const running = panel.current_item_id === null ? null : await findAgendaItem(trx, panel.current_item_id);
    if (running && running.id !== item.id && running.panel_id === panelId && onAgenda(running) && running.started_at && !running.ended_at) {
      const runningReference = await findCaseReferenceById(trx, running.case_id);
      throw new FormError({
        form: `Case ${runningReference} is under discussion, so nothing was recorded for case ${caseRow.reference}. Start case ${caseRow.reference} from the running order to record its decision.`,
      });
    }
    const values = input as Record<string, unknown>;
    const holder = await resolveChosenPerson(trx, panel.area_id, input.riskHolderChoice, "riskHolder");
    const lead = input.leadChoice ? await resolveChosenPerson(trx, panel.area_id, input.leadChoice, "leadPractitioner") : null;
    const result = await decideInTransaction(
      trx,
      deps,
      actor,
      caseRow,
      {
        requestId: item.request_id,
        version: input.caseVersion,
        outcome: input.outcome,
        reasons: input.reasons,
        riskHolder: holder.label,
      },
      {
        panelId,
        agendaItemId: item.id,
        discussion: input.discussion ?? null,
        leadPractitioner: lead?.label ?? null,
        riskHolderUserId: holder.userId,
        leadPractitionerUserId: lead?.userId ?? null,
        leadToName: !lead || lead.proposed,
        // The transfer meeting belongs to a step-down, which names its lead practitioner.
        transferDate: lead ? isoFromParts(values, "transfer") : null,
        reviewDate: isoFromParts(values, "review"),
        challenge: input.challenge ?? null,
      },
    );
    await touchPanel(trx, panel, deps.clock.now());
    return result;
  });
}

/**
 * An action agreed at panel: one owner (an existing user, or a partner the chair
 * invites on the spot) and a due date; the owner is emailed.
 */
export async function addAction(deps: Deps, actor: Actor, panelId: number, input: z.output<ReturnType<typeof actionSchema>>) {
  const now = deps.clock.now();
  const dueDate = isoFromParts(input as Record<string, unknown>, "due");
  if (!dueDate) throw new FormError({ dueDay: "The due date must be a real date" });
  return chairPanel(deps, actor, panelId, null, async (trx, panel) => {
    if (panel.status !== "in_session") throw new FormError({ form: "Actions are added while the panel is in session" });
    const item = await findAgendaItem(trx, input.itemId);
    if (!item || item.panel_id !== panelId) throw notFound();
    let ownerId: number;
    if (input.owner === "new") {
      ownerId = await invitePartnerInTransaction(trx, deps, {
        name: input.newOwnerName!,
        email: input.newOwnerEmail!.trim(),
        agencyId: Number(input.newOwnerAgencyId),
        areaId: panel.area_id,
        madeBy: actor,
        madeFor: { kind: "action", panelId, itemId: item.id },
      });
    } else {
      ownerId = Number(input.owner);
      await assertOffered(trx, panel.area_id, { userIds: [ownerId] }).catch(() => {
        throw new FormError({ owner: "Choose the owner from the list" });
      });
    }
    const [owner] = await listUsersByIds(trx, [ownerId]);
    if (!owner?.active) throw new FormError({ owner: "Choose an active person to own the action" });
    const action = await insertAction(trx, {
      caseId: item.case_id,
      panelId,
      agendaItemId: item.id,
      description: input.description,
      ownerUserId: ownerId,
      dueDate,
      createdBy: actor.user.id,
      at: now,
    });
    const reference = (await findCaseReferenceById(trx, item.case_id))!;
    await enqueueEmail(
      trx,
      {
        ...actionAssignedEmail({ reference, description: input.description, dueDate, actionsUrl: `${appUrlOf(deps)}/actions` }),
        key: `action:${action.id}:assigned:to:${ownerId}`,
        kind: "action_assigned",
        to: owner.email,
      },
      now,
    );
    await touchPanel(trx, panel, now);
    await audit(trx, actor, now, "case.action_added", reference, { actionId: action.id, panelId });
    return action.id;
  });
}

export interface Minutes {
  areaName: string;
  kind: string;
  meetingDate: string;
  startsAt: string;
  endsAt: string;
  /** When the meeting actually began (went into session) and ended (concluded); absent on minutes drafted before they were kept. */
  startedAt?: string | null;
  endedAt?: string | null;
  chair: string | null;
  /** A panel started before its planned date: that date, and the chair's reason. */
  heldEarly?: { plannedFor: string; reason: string } | null;
  /** Whether those present made the panel quorate (absent on minutes drafted before quorum was kept). */
  quorate?: boolean;
  /** Agencies the panel went ahead without, and why. */
  goingAheadWithout?: Array<{ agency: string; reason: string }>;
  attendance: Array<{ name: string; agency: string; attendance: string; joined?: boolean }>;
  items: Array<{
    /** The decision shown (the latest, when corrected): what "Challenge this decision" names. */
    decisionId?: number | null;
    reference: string;
    kind: RequestKind;
    outcome: string;
    reasons: string;
    discussion?: string | null;
    riskHolder: string;
    leadPractitioner: string | null;
    transferDate: string | null;
    reviewDate: string | null;
    challenge: string | null;
    /** A decision corrected after it was recorded: why, and what it said before. */
    correction?: { reason: string; previousOutcome: string } | null;
    actions: Array<{ description: string; owner: string; agency: string; dueDate: string }>;
    /** Who declared an interest in the item and took no part in its decision. */
    declarations?: Array<{ name: string; agency: string; reason: string }>;
  }>;
}

/** Concludes the meeting: every item decided, every action owned; minutes drafted for the chair to review. */
export async function concludePanel(deps: Deps, actor: Actor, panelId: number, input: { version: number }) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    const full = await findVisiblePanel(trx, actor.user, panelId);
    const [items, decisions, actions, attendees, sessionStart, declarations] = await Promise.all([
      listAgendaItems(trx, panelId),
      listPanelDecisions(trx, panelId),
      listPanelActions(trx, panelId),
      listAttendees(trx, [panelId]),
      findSessionStart(trx, panelId),
      listDeclarations(trx, panelId),
    ]);
    const undecided = items.filter((i) => i.status === "listed").length;
    const ownerless = actions.filter((a) => !a.owner_active).length;
    const concluded = await drivePanel(
      trx,
      panel,
      { type: "CONCLUDE", at: now.toISOString(), ownerlessActions: ownerless, undecidedItems: undecided },
      { actorUserId: actor.user.id },
    ).catch((error: unknown) => {
      if (isRefused(error)) return null;
      throw error;
    });
    if (!concluded) {
      // The machine refused: say why in the chair's terms.
      const problems = [
        panel.status !== "in_session" ? "The panel is not in session" : null,
        undecided ? `${undecided} item${undecided === 1 ? " has" : "s have"} no decision yet` : null,
        ownerless ? `${ownerless} action${ownerless === 1 ? " has" : "s have"} no active owner` : null,
      ].filter(Boolean);
      throw new FormError({ form: `The panel cannot conclude: ${problems.join("; ")}.` });
    }
    const minutes: Minutes = {
      areaName: full!.area_name,
      kind: panel.kind,
      meetingDate: panel.meeting_date,
      startsAt: new Date(panel.starts_at).toISOString(),
      endsAt: new Date(panel.ends_at).toISOString(),
      startedAt: sessionStart?.toISOString() ?? null,
      endedAt: now.toISOString(),
      chair: full!.chair_name,
      quorate: isQuorate(attendees, quorumOf(full!)),
      heldEarly: panel.held_early_from ? { plannedFor: panel.held_early_from, reason: panel.held_early_reason ?? "" } : null,
      goingAheadWithout: Object.entries(panel.going_ahead_without ?? {}).map(([kind, reason]) => ({
        agency: goingAheadLabel(kind),
        reason,
      })),
      attendance: attendees.map((a) => ({
        name: a.guest_role ? `${a.name}, ${a.guest_role}` : a.name,
        agency: a.agency_name,
        attendance: a.attendance ?? "not recorded",
        joined: a.role === "present",
      })),
      items: items
        .filter((i) => i.status === "decided")
        .map((item) => {
          const d = decisions.find((x) => x.agenda_item_id === item.id);
          return {
            decisionId: d?.id ?? null,
            reference: item.reference,
            kind: item.kind,
            outcome: d ? (DECISION_LABELS[d.outcome as keyof typeof DECISION_LABELS] ?? d.outcome) : "Decided outside the panel",
            reasons: d?.reasons ?? "",
            discussion: d?.discussion ?? null,
            riskHolder: d?.risk_holder ?? "",
            leadPractitioner: d?.lead_practitioner ?? null,
            transferDate: d?.transfer_date ?? null,
            reviewDate: d?.review_date ?? null,
            challenge: d?.challenge ?? null,
            correction:
              d?.correction_reason && d.previous_outcome
                ? {
                    reason: d.correction_reason,
                    previousOutcome: DECISION_LABELS[d.previous_outcome as keyof typeof DECISION_LABELS] ?? d.previous_outcome,
                  }
                : null,
            actions: actions
              .filter((a) => a.agenda_item_id === item.id)
              .map((a) => ({ description: a.description, owner: a.owner_name, agency: a.owner_agency, dueDate: a.due_date })),
            declarations: declarations
              .filter((x) => x.agenda_item_id === item.id)
              .map((x) => ({ name: x.name, agency: x.agency_name, reason: x.reason })),
          };
        }),
    };
    await updatePanelIfUnchanged(trx, panelId, panel.version, { at: now, minutes });
    await audit(trx, actor, now, "panel.concluded", panelId, { items: minutes.items.length });
  });
}
