import { insertAuditEvent } from "../../db/queries/audit";
import { findCaseReferenceById } from "../../db/queries/cases";
import { findAreaById, listAgencies } from "../../db/queries/organisation";
import type { Database } from "../../db/connect";
import { findAgendaItem, insertAgendaItem, listAgendaItems, listMovableRequests, nextPosition, updateAgendaItem } from "../../db/queries/agenda";
import { findRoutinePanelOn, findVisiblePanel, listPanelsForViewer, listRecentPanelsForViewer, lockPanel, updatePanelIfUnchanged, type PanelRow } from "../../db/queries/panels";
import { insertAction, listPanelActions } from "../../db/queries/actions";
import { listAreaPeople, listUsersByIds } from "../../db/queries/users";
import { listAttendees, setAttendance } from "../../db/queries/attendance";
import { listPanelDecisions } from "../../db/queries/decisions";
import { listRequestAnswers } from "../../db/queries/requests";
import { actionAssignedEmail } from "../../emails/action-assigned";
import { buildCalendar } from "../../emails/calendar";
import { minutesPublishedEmail } from "../../emails/minutes-published";
import { enqueueEmail } from "../../emails/outbox";
import { eventsToStart } from "../../machines/panel/panel.machine";
import type { z } from "zod";
import { DECISION_LABELS } from "../forms/case";
import type { actionSchema, agendaItemSchema, attendanceSchema, itemDecisionSchema, panelDetailsSchema } from "../forms/panel";
import { isoFromParts } from "../forms/request";
import { agendaSlots, wallClock } from "../lib/agenda-slots";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { formatTime } from "../lib/dates";
import { ConflictError, FormError } from "../lib/forms";
import { invitePartnerInTransaction } from "./admin.server";
import { forbidden, notFound } from "./authorise.server";
import { decideInTransaction } from "./cases.server";
import { cancelSlotInvites, panelEvent, refreshSlotInvites, sendPanelInvites } from "./panel-invites.server";
import { cancelPanelInTransaction, drivePanel } from "./panel-schedules.server";

const MANAGERS = ["team_manager", "service_manager"];
const EDITABLE = ["scheduled", "agendaOpen", "agendaClosed", "inSession"];



/**
 * Managers of the panel's area, its chair and its core members see the whole
 * panel; anyone else sees it only through the items they are invited to.
 */
function seesWholePanel(actor: Actor, attendees: Array<{ user_id: number; role: string }>) {
  if (MANAGERS.includes(actor.user.role)) return true;
  return attendees.some((a) => a.user_id === actor.user.id && a.role !== "item");
}

/** Whether the invitation to discuss this item stands for the person (see `itemInviteStands`). */
function invitedFor(actor: Actor, item: { status: string; invite_sent_user_ids: number[] }) {
  return (item.status === "listed" || item.status === "decided") && item.invite_sent_user_ids.includes(actor.user.id);
}

async function visiblePanel(deps: Deps, actor: Actor, id: number) {
  const panel = await findVisiblePanel(deps.db, actor.user, id);
  if (!panel) throw notFound();
  return panel;
}

/** Team and service managers of the panel's area chair and run it. */
export function mayChair(actor: Actor, panel: { area_id: number }) {
  return MANAGERS.includes(actor.user.role) && (actor.user.areaId === null || actor.user.areaId === panel.area_id);
}

function assertChair(actor: Actor, panel: { area_id: number }) {
  if (!mayChair(actor, panel)) throw forbidden();
}

/** Locks the panel and checks nobody changed it since the form was read. */
async function lockUnchangedPanel(trx: Database, id: number, expectedVersion: number) {
  const panel = await lockPanel(trx, id);
  if (!panel) throw notFound();
  if (panel.version !== expectedVersion) {
    throw new ConflictError({ status: panel.status, version: panel.version, changes: ["someone else changed this panel"] });
  }
  return panel;
}

/**
 * Every chair's use case: the panel must be visible, then locked for the
 * transaction (checked unchanged when the form carried a version), and the
 * person must chair in its area.
 */
async function chairPanel<T>(
  deps: Deps,
  actor: Actor,
  panelId: number,
  expectedVersion: number | null,
  run: (trx: Database, panel: PanelRow) => Promise<T>,
): Promise<T> {
  await visiblePanel(deps, actor, panelId);
  return deps.db.transaction().execute(async (trx) => {
    const panel = expectedVersion === null ? await lockPanel(trx, panelId) : await lockUnchangedPanel(trx, panelId, expectedVersion);
    if (!panel) throw notFound();
    assertChair(actor, panel);
    return run(trx, panel);
  });
}

/** Ids posted for people and agencies must be ones the page offered: the area's people, existing agencies. */
async function assertOffered(trx: Database, areaId: number, chosen: { userIds?: number[]; agencyIds?: number[] }) {
  const [people, agencies] = await Promise.all([
    chosen.userIds?.length ? listAreaPeople(trx, areaId) : Promise.resolve([]),
    chosen.agencyIds?.length ? listAgencies(trx) : Promise.resolve([]),
  ]);
  const personIds = new Set(people.map((p) => p.id));
  const agencyIds = new Set(agencies.map((a) => a.id));
  if (chosen.userIds?.some((id) => !personIds.has(id))) throw new FormError({ userIds: "Choose people from the list" });
  if (chosen.agencyIds?.some((id) => !agencyIds.has(id))) throw new FormError({ agencyIds: "Choose agencies from the list" });
}

async function touchPanel(trx: Database, panel: PanelRow, now: Date) {
  const ok = await updatePanelIfUnchanged(trx, panel.id, panel.version, { at: now });
  if (!ok) throw new ConflictError({ status: panel.status, version: panel.version, changes: ["someone else changed this panel"] });
  panel.version += 1;
}

export async function listPanels(deps: Deps, actor: Actor) {
  const now = deps.clock.now();
  const [upcoming, recent] = await Promise.all([
    listPanelsForViewer(deps.db, actor.user, { from: now, until: new Date(now.getTime() + 14 * 7 * 24 * 3600_000) }),
    listRecentPanelsForViewer(deps.db, actor.user, now, 12),
  ]);
  return { upcoming, recent };
}

/**
 * The agenda: every item with its time, reference, request type, requester,
 * bounce-back flag and invited agencies. A fixed number of queries whatever
 * the number of items.
 */
export async function viewAgenda(deps: Deps, actor: Actor, id: number) {
  const panel = await visiblePanel(deps, actor, id);
  const chair = mayChair(actor, panel);
  const [allItems, agencies, allAttendees, movable] = await Promise.all([
    listAgendaItems(deps.db, id),
    listAgencies(deps.db),
    listAttendees(deps.db, [id]),
    // Late requests: those waiting for a later panel, never one already on an earlier one.
    chair && EDITABLE.includes(panel.status) ? listMovableRequests(deps.db, panel.area_id, id, panel.starts_at) : Promise.resolve([]),
  ]);
  const whole = seesWholePanel(actor, allAttendees);
  // Someone invited for one item sees that item and the people running the panel, nothing else.
  const items = whole ? allItems : allItems.filter((i) => invitedFor(actor, i));
  const attendees = whole ? allAttendees : allAttendees.filter((a) => a.role !== "item" || a.user_id === actor.user.id);
  const agencyName = new Map(agencies.map((a) => [a.id, a.name]));
  const slots = agendaSlots(
    { meetingDate: panel.meeting_date, startsAt: new Date(panel.starts_at), endsAt: new Date(panel.ends_at) },
    items.map((i) => ({ id: i.id, slotMinutes: i.slot_minutes, pinnedStart: i.pinned_start })),
  );
  const slotOf = new Map(slots.map((s) => [s.id, s]));
  const personName = new Map(attendees.map((a) => [a.user_id, `${a.name} (${a.agency_name})`]));
  return {
    panel,
    mayChair: chair,
    wholePanel: whole,
    editable: chair && EDITABLE.includes(panel.status),
    items: items.map((item) => ({
      ...item,
      slot: slotOf.get(item.id)!,
      invitedAgencies: item.invited_agency_ids.map((a) => agencyName.get(a) ?? "Unknown agency"),
      invitedPeople: item.invited_user_ids.map((u) => personName.get(u) ?? "Invited person"),
    })),
    attendees,
    movable,
    agencies,
  };
}

export async function viewAgendaItem(deps: Deps, actor: Actor, panelId: number, itemId: number) {
  const agenda = await viewAgenda(deps, actor, panelId);
  if (!agenda.editable) throw forbidden();
  const item = agenda.items.find((i) => i.id === itemId && i.status === "listed");
  if (!item) throw notFound();
  const people = await listAreaPeople(deps.db, agenda.panel.area_id);
  return { ...agenda, item, people };
}

/**
 * Slot length, pinned start and who is invited for one item. A slot that would
 * overlap the item before or run past the panel's end is refused with a field error.
 */
export async function editAgendaItem(
  deps: Deps,
  actor: Actor,
  panelId: number,
  itemId: number,
  input: z.output<typeof agendaItemSchema>,
) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    if (!EDITABLE.includes(panel.status)) throw new FormError({ form: "This panel's agenda can no longer change" });
    const items = await listAgendaItems(trx, panelId, ["listed"]);
    if (!items.some((i) => i.id === itemId)) throw notFound();
    const slots = agendaSlots(
      { meetingDate: panel.meeting_date, startsAt: new Date(panel.starts_at), endsAt: new Date(panel.ends_at) },
      items.map((i) =>
        i.id === itemId
          ? { id: i.id, slotMinutes: input.slotMinutes, pinnedStart: input.pinnedStart ?? null }
          : { id: i.id, slotMinutes: i.slot_minutes, pinnedStart: i.pinned_start },
      ),
    );
    const slot = slots.find((s) => s.id === itemId)!;
    const index = slots.indexOf(slot);
    if (input.pinnedStart && new Date(panel.starts_at) > slot.startsAt) {
      throw new FormError({ pinnedStart: `The slot must start at or after the panel starts, ${formatTime(panel.starts_at)}` });
    }
    if (slot.overlaps) {
      throw new FormError({ pinnedStart: `This slot overlaps the item before, which ends at ${formatTime(slots[index - 1].endsAt)}` });
    }
    if (slot.pastEnd) {
      throw new FormError({ slotMinutes: `This slot runs past the end of the panel at ${formatTime(panel.ends_at)}` });
    }
    const next = slots[index + 1];
    if (next && items[index + 1].pinned_start && next.overlaps) {
      throw new FormError({ slotMinutes: `This slot runs into the next item, pinned at ${formatTime(next.startsAt)}` });
    }
    // Only the people and agencies the page offers; invitees see the case while the invitation stands.
    await assertOffered(trx, panel.area_id, { userIds: input.userIds, agencyIds: input.agencyIds });
    await updateAgendaItem(trx, itemId, {
      slotMinutes: input.slotMinutes,
      pinnedStart: input.pinnedStart ?? null,
      invitedAgencyIds: input.agencyIds,
      invitedUserIds: input.userIds,
    });
    await touchPanel(trx, panel, now);
    await refreshSlotInvites(trx, panelId, appUrlOf(deps), now);
    await audit(trx, actor, now, "panel.item_edited", panelId, { itemId });
  });
}

/** Moves an item one place up or down the agenda; start times follow. */
export async function moveAgendaItem(deps: Deps, actor: Actor, panelId: number, input: { version: number; itemId: number; direction: "up" | "down" }) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    if (!EDITABLE.includes(panel.status)) throw new FormError({ form: "This panel's agenda can no longer change" });
    const items = await listAgendaItems(trx, panelId);
    const index = items.findIndex((i) => i.id === input.itemId);
    if (index < 0) throw notFound();
    const other = items[input.direction === "up" ? index - 1 : index + 1];
    if (!other) return;
    // Renumber so positions are distinct, then swap the pair.
    for (const [i, item] of items.entries()) {
      const position = item.id === input.itemId ? items.indexOf(other) + 1 : item.id === other.id ? index + 1 : i + 1;
      if (position !== item.position) await updateAgendaItem(trx, item.id, { position });
    }
    await touchPanel(trx, panel, now);
    await refreshSlotInvites(trx, panelId, appUrlOf(deps), now);
  });
}

/** The chair adds a late request (listed on a later panel) to this one. */
export async function pullItemOntoPanel(deps: Deps, actor: Actor, panelId: number, input: { version: number; itemId: number }) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    if (!EDITABLE.includes(panel.status)) throw new FormError({ itemId: "This panel's agenda can no longer change" });
    await moveItemToPanel(trx, deps, input.itemId, panel, now, { late: true });
    await touchPanel(trx, panel, now);
    await audit(trx, actor, now, "panel.item_added", panelId, { itemId: input.itemId });
  });
}

/**
 * Moves one listed item from its panel onto `panel`: a late addition (only from a
 * later panel, and flagged late) or onto an extraordinary panel (not late: it
 * was called for them).
 */
export async function moveItemToPanel(trx: Database, deps: Deps, itemId: number, panel: PanelRow, now: Date, options: { late: boolean }) {
  const item = await findAgendaItem(trx, itemId);
  if (!item || item.status !== "listed" || item.panel_id === panel.id) {
    throw new FormError({ itemId: "That request is no longer waiting for a panel" });
  }
  const from = await lockPanel(trx, item.panel_id);
  if (!from || from.area_id !== panel.area_id || !EDITABLE.includes(from.status) || from.status === "inSession") {
    throw new FormError({ itemId: "That request cannot be moved now" });
  }
  if (options.late && new Date(from.starts_at) <= new Date(panel.starts_at)) {
    throw new FormError({ itemId: "That request is already on an earlier panel" });
  }
  await updateAgendaItem(trx, item.id, { status: "moved" });
  await cancelSlotInvites(trx, from.id, [item.id], appUrlOf(deps), now);
  await insertAgendaItem(trx, {
    panelId: panel.id,
    requestId: item.request_id,
    caseId: item.case_id,
    position: await nextPosition(trx, panel.id),
    invitedAgencyIds: item.invited_agency_ids,
    late: options.late,
    at: now,
  });
  await refreshSlotInvites(trx, panel.id, appUrlOf(deps), now);
}

/**
 * Moves one panel or changes where it meets. Its invite goes out again with the
 * same UID and a higher SEQUENCE, and every partner's slot follows.
 */
export async function changePanelDetails(deps: Deps, actor: Actor, panelId: number, input: z.output<ReturnType<typeof panelDetailsSchema>>) {
  const now = deps.clock.now();
  const date = isoFromParts(input as Record<string, unknown>, "meeting");
  if (!date) throw new FormError({ meetingDay: "The date of the panel must be a real date" });
  const startsAt = wallClock(date, input.startTime);
  const endsAt = wallClock(date, input.endTime);
  if (startsAt <= now) throw new FormError({ startTime: "The panel must start in the future" });
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    if (!["scheduled", "agendaOpen", "agendaClosed"].includes(panel.status)) {
      throw new FormError({ form: "A panel that has started, ended or been cancelled cannot be moved" });
    }
    if (panel.kind === "routine" && date !== panel.meeting_date) {
      if (await findRoutinePanelOn(trx, panel.area_id, date)) throw new FormError({ meetingDay: "This area already has a panel that day" });
    }
    const ok = await updatePanelIfUnchanged(trx, panelId, panel.version, {
      at: now,
      meetingDate: date,
      startsAt,
      endsAt,
      // A moved panel's cut-off is never after it starts.
      cutoffAt: new Date(panel.cutoff_at) < startsAt ? new Date(panel.cutoff_at) : startsAt,
      venue: input.venue ?? null,
      meetingLink: input.meetingLink ?? null,
      bumpInvite: true,
    });
    if (!ok) throw new ConflictError({ status: panel.status, version: panel.version, changes: ["someone else changed this panel"] });
    await sendPanelInvites(trx, panelId, "updated", appUrlOf(deps), now);
    await refreshSlotInvites(trx, panelId, appUrlOf(deps), now);
    await audit(trx, actor, now, "panel.details_changed", panelId, { date, startTime: input.startTime, endTime: input.endTime });
  });
}

export async function cancelPanel(deps: Deps, actor: Actor, panelId: number, input: { version: number; reason: string }) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    const done = await cancelPanelInTransaction(trx, deps, actor.user.id, panel, input.reason, now);
    if (!done) throw new FormError({ reason: "A panel that has started cannot be cancelled" });
    await audit(trx, actor, now, "panel.cancelled", panelId, {});
  });
}

/** The whole meeting's invite as a file, for those invited to the whole panel (others have their slot's). */
export async function panelInviteFile(deps: Deps, actor: Actor, panelId: number) {
  const panel = await visiblePanel(deps, actor, panelId);
  const everyone = await listAttendees(deps.db, [panelId]);
  if (!seesWholePanel(actor, everyone)) throw notFound();
  const attendees = everyone.filter((a) => a.role !== "item");
  const method = panel.status === "cancelled" ? "CANCEL" : "REQUEST";
  return buildCalendar(method, [panelEvent(panel, attendees.map((a) => ({ name: a.name, email: a.email })), appUrlOf(deps))], deps.clock.now());
}

// ---- the meeting -----------------------------------------------------------

/** Everything the chair needs in the room, in a fixed number of queries. */
export async function viewMeeting(deps: Deps, actor: Actor, panelId: number) {
  const agenda = await viewAgenda(deps, actor, panelId);
  if (!agenda.mayChair) throw forbidden();
  const [decisions, actions, owners, answers] = await Promise.all([
    listPanelDecisions(deps.db, panelId),
    listPanelActions(deps.db, panelId),
    listAreaPeople(deps.db, agenda.panel.area_id),
    listRequestAnswers(deps.db, agenda.items.map((i) => i.request_id)),
  ]);
  const answersOf = new Map(answers.map((a) => [a.id, (a.answers ?? {}) as Record<string, unknown>]));
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
  const present = agenda.attendees.filter((a) => a.attendance === "in_person" || a.attendance === "online");
  const represented = new Set(present.map((a) => a.agency_kind));
  const missing = [
    !represented.has("childrens_social_care") ? "children's social care" : null,
    !represented.has("early_help") ? "early help" : null,
  ].filter((x): x is string => Boolean(x));
  return { ...agenda, decisions, actions, owners, missing, answersOf };
}

export async function startMeeting(deps: Deps, actor: Actor, panelId: number, input: { version: number }) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    const events = eventsToStart(panel.status, now.toISOString());
    if (!events.length) throw new FormError({ form: "This panel cannot start now" });
    for (const event of events) await drivePanel(trx, panel, event, { actorUserId: actor.user.id });
    await audit(trx, actor, now, "panel.started", panelId, {});
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
    if (panel.status !== "inSession") throw new FormError({ form: "Start the meeting before recording attendance" });
    await setAttendance(trx, panelId, marks);
    await touchPanel(trx, panel, now);
    await audit(trx, actor, now, "panel.attendance_recorded", panelId, { marked: marks.length });
  });
}

/**
 * One item's decision: the decision's rows and the case journey in one
 * transaction. A stale form (someone else decided) gets a clear conflict.
 */
export async function decideItem(deps: Deps, actor: Actor, panelId: number, input: z.output<ReturnType<typeof itemDecisionSchema>>) {
  return chairPanel(deps, actor, panelId, null, async (trx, panel) => {
    if (panel.status !== "inSession") throw new FormError({ form: "Start the meeting before recording decisions" });
    const item = await findAgendaItem(trx, input.itemId);
    if (!item || item.panel_id !== panelId) throw notFound();
    if (item.status !== "listed") throw new FormError({ outcome: "This item has already been decided or has left the agenda" });
    const caseRow = { id: item.case_id, reference: (await findCaseReferenceById(trx, item.case_id))! };
    const values = input as Record<string, unknown>;
    const result = await decideInTransaction(
      trx,
      deps,
      actor,
      caseRow,
      { requestId: item.request_id, version: input.caseVersion, outcome: input.outcome, reasons: input.reasons, riskHolder: input.riskHolder },
      {
        panelId,
        agendaItemId: item.id,
        discussion: input.discussion ?? null,
        leadPractitioner: input.leadPractitioner ?? null,
        // The transfer meeting belongs to a step-down, which names its lead practitioner.
        transferDate: input.leadPractitioner ? isoFromParts(values, "transfer") : null,
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
    if (panel.status !== "inSession") throw new FormError({ form: "Actions are added while the panel is in session" });
    const item = await findAgendaItem(trx, input.itemId);
    if (!item || item.panel_id !== panelId) throw notFound();
    let ownerId: number;
    if (input.owner === "new") {
      ownerId = await invitePartnerInTransaction(trx, deps, {
        name: input.newOwnerName!,
        email: input.newOwnerEmail!.trim(),
        agencyId: Number(input.newOwnerAgencyId),
        areaId: panel.area_id,
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
  chair: string | null;
  attendance: Array<{ name: string; agency: string; attendance: string }>;
  items: Array<{
    reference: string;
    kind: string;
    outcome: string;
    reasons: string;
    discussion?: string | null;
    riskHolder: string;
    leadPractitioner: string | null;
    transferDate: string | null;
    reviewDate: string | null;
    challenge: string | null;
    actions: Array<{ description: string; owner: string; agency: string; dueDate: string }>;
  }>;
}

/** Concludes the meeting: every item decided, every action owned; minutes drafted for the chair to review. */
export async function concludePanel(deps: Deps, actor: Actor, panelId: number, input: { version: number }) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    const full = await findVisiblePanel(trx, actor.user, panelId);
    const [items, decisions, actions, attendees] = await Promise.all([
      listAgendaItems(trx, panelId),
      listPanelDecisions(trx, panelId),
      listPanelActions(trx, panelId),
      listAttendees(trx, [panelId]),
    ]);
    const undecided = items.filter((i) => i.status === "listed").length;
    const ownerless = actions.filter((a) => !a.owner_active).length;
    const step = await drivePanel(
      trx,
      panel,
      { type: "CONCLUDE", at: now.toISOString(), ownerlessActions: ownerless, undecidedItems: undecided },
      { actorUserId: actor.user.id },
    );
    if (!step) {
      const problems = [
        panel.status !== "inSession" ? "The panel is not in session" : null,
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
      chair: full!.chair_name,
      attendance: attendees.map((a) => ({ name: a.name, agency: a.agency_name, attendance: a.attendance ?? "not recorded" })),
      items: items
        .filter((i) => i.status === "decided")
        .map((item) => {
          const d = decisions.find((x) => x.agenda_item_id === item.id);
          return {
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
            actions: actions
              .filter((a) => a.agenda_item_id === item.id)
              .map((a) => ({ description: a.description, owner: a.owner_name, agency: a.owner_agency, dueDate: a.due_date })),
          };
        }),
    };
    await updatePanelIfUnchanged(trx, panelId, panel.version, { at: now, minutes });
    await audit(trx, actor, now, "panel.concluded", panelId, { items: minutes.items.length });
  });
}

export async function viewMinutes(deps: Deps, actor: Actor, panelId: number) {
  const panel = await visiblePanel(deps, actor, panelId);
  if (!panel.minutes) throw notFound();
  if (panel.status !== "minutesPublished" && !mayChair(actor, panel)) throw notFound();
  const minutes = await minutesFor(deps, actor, panelId, panel.minutes as Minutes);
  await insertAuditEvent(deps.db, {
    at: deps.clock.now(),
    actorUserId: actor.user.id,
    action: "panel.minutes_viewed",
    recordType: "panel",
    recordId: panelId,
    ip: actor.ip,
    detail: { cases: minutes.items.map((i) => i.reference) },
  });
  return { panel, minutes, mayPublish: mayChair(actor, panel) && panel.status === "concluded" };
}

/** The minutes as one person may read them: everything, or only the items they were invited to discuss. */
async function minutesFor(deps: Deps, actor: Actor, panelId: number, minutes: Minutes): Promise<Minutes & { partial: boolean }> {
  const [items, attendees] = await Promise.all([listAgendaItems(deps.db, panelId, ["decided"]), listAttendees(deps.db, [panelId])]);
  if (seesWholePanel(actor, attendees)) return { ...minutes, partial: false };
  const mine = new Set(items.filter((i) => invitedFor(actor, i)).map((i) => i.reference));
  return { ...minutes, items: minutes.items.filter((i) => mine.has(i.reference)), partial: true };
}

export async function publishMinutes(deps: Deps, actor: Actor, panelId: number, input: { version: number }) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    const step = await drivePanel(trx, panel, { type: "PUBLISH_MINUTES", at: now.toISOString() }, { actorUserId: actor.user.id });
    if (!step) throw new FormError({ form: "Only a concluded panel's minutes can be published" });
    const area = (await findAreaById(trx, panel.area_id))!;
    const [attendees, decided] = await Promise.all([listAttendees(trx, [panelId]), listAgendaItems(trx, panelId, ["decided"])]);
    // Someone invited for an item hears of its part only while that invitation stands.
    const itemInvitees = new Set(decided.flatMap((i) => i.invite_sent_user_ids));
    for (const person of attendees.filter((a) => a.active && (a.role !== "item" || itemInvitees.has(a.user_id)))) {
      const email = minutesPublishedEmail({
        areaName: area.name,
        meetingDate: panel.meeting_date,
        minutesUrl: `${appUrlOf(deps)}/panels/${panelId}/minutes`,
        part: person.role === "item" ? "item" : "whole",
      });
      await enqueueEmail(trx, { ...email, key: `minutes:${panelId}:to:${person.user_id}`, kind: "minutes_published", to: person.email }, now);
    }
    await audit(trx, actor, now, "panel.minutes_published", panelId, {});
  });
}

async function audit(trx: Database, actor: Actor, at: Date, action: string, recordId: number | string, detail: Record<string, unknown>) {
  await insertAuditEvent(trx, {
    at,
    actorUserId: actor.user.id,
    action,
    recordType: typeof recordId === "string" ? "case" : "panel",
    recordId,
    ip: actor.ip,
    detail,
  });
}

