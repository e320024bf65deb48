import { insertAuditEvent } from "../../db/queries/audit";
import { listAgencies, setAgencyContact } from "../../db/queries/organisation";
import { recordRead } from "./audit-trail.server";
import { invitePartnerInTransaction } from "./admin.server";
import type { Database } from "../../db/connect";
import {
  findAgendaItem,
  insertAgendaItem,
  listAgendaItems,
  listMovableRequests,
  nextPosition,
  updateAgendaItem,
} from "../../db/queries/agenda";
import {
  findRoutinePanelOn,
  listPanelsForViewer,
  listPanelsWithAgendaUnsent,
  listRecentPanelsForViewer,
  lockPanel,
  markAgendaSent,
  type PanelRow,
} from "../../db/queries/panels";
import { listAgenciesWithNobody, listAreaPeople } from "../../db/queries/users";
import { listAttendees } from "../../db/queries/attendance";
import { casesAsKnownTo } from "../../db/queries/cases";
import { listQuestions } from "../../db/queries/questions";
import { listDeclarations } from "../../db/queries/declarations";
import { buildCalendar } from "../../emails/calendar";
import type { z } from "zod";
import type { agendaItemSchema, panelDetailsSchema } from "../forms/panel";
import { isoFromParts } from "../lib/dates";
import { agendaSlots, wallClock } from "../lib/agenda-slots";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { formatTime } from "../lib/dates";
import { AlreadyDone, FormError } from "../lib/errors";
import { forbidden, notFound } from "./authorise.server";
import { cancelSlotInvites, panelEvent, refreshSlotInvites, sendPanelInvites } from "./panel-invites.server";
import { cancelPanelInTransaction } from "./panel-lifecycle.server";
import { isRefused } from "./machine-driver.server";
import {
  EDITABLE,
  assertOffered,
  audit,
  chairPanel,
  invitedFor,
  mayChair,
  seesWholePanel,
  wholeMeetingInvitees,
  touchPanel,
  visiblePanel,
} from "./panel-access.server";

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
/** The agenda page, audited as a read of the cases it shows. */
export async function viewAgenda(deps: Deps, actor: Actor, id: number) {
  const agenda = await agendaFor(deps, actor, id);
  await recordRead(deps, actor, {
    action: "panel.agenda_viewed",
    recordType: "panel",
    recordId: id,
    cases: agenda.items.flatMap((i) => [i.reference, ...i.possibleMatches.flatMap((m) => (m.reference ? [m.reference] : []))]),
  });
  return agenda;
}

/** The agenda as one person may see it (the chairing and item pages build on it and audit their own reads). */
export async function agendaFor(deps: Deps, actor: Actor, id: number) {
  const panel = await visiblePanel(deps, actor, id);
  const chair = mayChair(actor, panel);
  const [allItems, agencies, allAttendees, movable, declarations] = await Promise.all([
    listAgendaItems(deps.db, id),
    listAgencies(deps.db),
    listAttendees(deps.db, [id]),
    // Late requests: those waiting for a later panel, never one already on an earlier one.
    chair && EDITABLE.includes(panel.status) ? listMovableRequests(deps.db, panel.area_id, id, panel.starts_at) : Promise.resolve([]),
    listDeclarations(deps.db, id),
  ]);
  const whole = seesWholePanel(actor, allAttendees);
  // Someone invited for one item sees that item and the people running the panel, nothing else.
  const items = whole ? allItems : allItems.filter((i) => invitedFor(actor, i));
  const attendees = whole ? allAttendees : allAttendees.filter((a) => a.role !== "item" || a.user_id === actor.user.id);
  const agencyName = new Map(agencies.map((a) => [a.id, a.name]));
  // Times are the panel's, worked out from the whole agenda, whoever is looking: only the other items' details are hidden.
  const slots = agendaSlots(
    { meetingDate: panel.meeting_date, startsAt: new Date(panel.starts_at), endsAt: new Date(panel.ends_at) },
    allItems.map((i) => ({ id: i.id, slotMinutes: i.slot_minutes, pinnedStart: i.pinned_start })),
  );
  const slotOf = new Map(slots.map((s) => [s.id, s]));
  const personName = new Map(attendees.map((a) => [a.user_id, `${a.name} (${a.agency_name})`]));
  // One query for what the viewer may know of the items' cases (the child's name) and, for the chair, of possible matches.
  const known = await casesKnownTo(deps, actor, items, chair);
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
      childName: known.get(item.case_id)?.visible_name ?? null,
      // Who declared an interest in the item: everyone running the panel sees them; someone invited for one item, their own.
      declarations: declarations
        .filter((d) => d.agenda_item_id === item.id && (whole || d.user_id === actor.user.id))
        .map((d) => ({ userId: d.user_id, name: d.name, agency: d.agency_name, reason: d.reason })),
      possibleMatches: chair
        ? item.possible_match_case_ids.map((caseId): PossibleMatch => ({
            reference: known.get(caseId)?.visible_reference ?? null,
            // Of a case the chair may not open, not even its area: a service manager checks it.
            area: known.get(caseId)?.visible_reference ? known.get(caseId)!.area_name : null,
          }))
        : [],
    })),
    attendees,
    movable,
    agencies,
  };
}

/** A case an item's child may already be: its reference and area when the chair may see it, otherwise nothing about it. */
export type PossibleMatch = { reference: string | null; area: string | null };

/**
 * The items' cases as the viewer may know them: each child's name where the
 * visibility rule lets them see the case, and for the chair the cases each new
 * child may already be (matched when the request was sent): by reference
 * when the chair may see one, otherwise nothing but that it exists, for a
 * service manager (who sees every area) to check.
 */
async function casesKnownTo(
  deps: Deps,
  actor: Actor,
  items: Array<{ case_id: number; possible_match_case_ids: number[] }>,
  chair: boolean,
) {
  const ids = new Set(items.map((i) => i.case_id));
  if (chair) for (const item of items) for (const id of item.possible_match_case_ids) ids.add(id);
  return new Map((await casesAsKnownTo(deps.db, actor.user, [...ids])).map((c) => [c.id, c]));
}

export async function viewAgendaItem(deps: Deps, actor: Actor, panelId: number, itemId: number) {
  const agenda = await agendaFor(deps, actor, panelId);
  if (!agenda.editable) throw forbidden();
  const item = agenda.items.find((i) => i.id === itemId && i.status === "listed");
  if (!item) throw notFound();
  await recordRead(deps, actor, { action: "panel.item_viewed", recordType: "panel", recordId: panelId, cases: [item.reference] });
  const [people, nobody, questions] = await Promise.all([
    listAreaPeople(deps.db, agenda.panel.area_id),
    listAgenciesWithNobody(
      deps.db,
      agenda.agencies.map((a) => a.id),
      agenda.panel.area_id,
    ),
    listQuestions(deps.db, [item.request_id]),
  ]);
  return { ...agenda, item, people, agenciesWithNobody: nobody, questions };
}

/**
 * Slot length, pinned start and who is invited for one item. A slot that would
 * overlap the item before or run past the panel's end is refused with a field error.
 */
export async function editAgendaItem(deps: Deps, actor: Actor, panelId: number, itemId: number, input: z.output<typeof agendaItemSchema>) {
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
    // An agency with nobody an invite would reach is never invited silently: the chair names a contact.
    let nobody = await listAgenciesWithNobody(trx, input.agencyIds, panel.area_id);
    const userIds = [...input.userIds];
    if (input.contactName && input.contactEmail) {
      const agencyId = Number(input.contactAgencyId);
      if (!nobody.includes(agencyId)) {
        throw new FormError({ contactAgencyId: "Choose an agency you are inviting that has nobody signed up in this area" });
      }
      const contact = { name: input.contactName, email: input.contactEmail };
      userIds.push(
        await invitePartnerInTransaction(
          trx,
          deps,
          { ...contact, agencyId, areaId: panel.area_id, madeBy: actor, madeFor: { kind: "agenda_item", panelId, itemId } },
          { email: "contactEmail", agency: "contactAgencyId" },
        ),
      );
      await setAgencyContact(trx, agencyId, contact);
      nobody = nobody.filter((id) => id !== agencyId);
    }
    if (nobody.length) {
      const names = (await listAgencies(trx)).filter((a) => nobody.includes(a.id)).map((a) => a.name);
      // Beside the agencies ticked, where the chair chose it.
      throw new FormError({
        agencyIds: `Nobody at ${names.join(" or ")} has an account in this area, so nobody there would be invited. Name a contact for the invite, or untick the agency`,
      });
    }
    await updateAgendaItem(trx, itemId, {
      slotMinutes: input.slotMinutes,
      pinnedStart: input.pinnedStart ?? null,
      invitedAgencyIds: input.agencyIds,
      invitedUserIds: userIds,
    });
    await touchPanel(trx, panel, now);
    await refreshSlotInvites(trx, panelId, appUrlOf(deps), now);
    await audit(trx, actor, now, "panel.item_edited", panelId, { itemId });
  });
}

/**
 * Sends the agenda: each person invited for an item gets one invite for it,
 * at its time. Until then, preparing the agenda (order, slots, who is
 * invited) emails nobody; after it, only real changes go out.
 */
export async function sendAgenda(deps: Deps, actor: Actor, panelId: number, input: { version: number }) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    if (!EDITABLE.includes(panel.status)) throw new FormError({ form: "This panel's agenda can no longer change" });
    if (panel.agenda_sent_at) throw new AlreadyDone("The agenda has already been sent");
    await touchPanel(trx, panel, now);
    await markAgendaSent(trx, panelId, now);
    await refreshSlotInvites(trx, panelId, appUrlOf(deps), now);
    await audit(trx, actor, now, "panel.agenda_sent", panelId, {});
  });
}

/** Agendas not sent by the day before their panel go by themselves, so nobody invited is left unaware. */
export async function sendDueAgendas(deps: Deps) {
  const now = deps.clock.now();
  let sent = 0;
  for (const { id } of await listPanelsWithAgendaUnsent(deps.db, new Date(now.getTime() + 24 * 60 * 60_000))) {
    await deps.db.transaction().execute(async (trx) => {
      const panel = await lockPanel(trx, id);
      if (!panel || panel.agenda_sent_at) return;
      await markAgendaSent(trx, id, now);
      await refreshSlotInvites(trx, id, appUrlOf(deps), now);
      await insertAuditEvent(trx, {
        at: now,
        actorUserId: null,
        action: "panel.agenda_sent",
        recordType: "panel",
        recordId: id,
        ip: null,
        detail: { by: "the day before the panel" },
      });
      sent++;
    });
  }
  return { agendasSent: sent };
}

/** Moves an item one place up or down the agenda; start times follow. */
export async function moveAgendaItem(
  deps: Deps,
  actor: Actor,
  panelId: number,
  input: { version: number; itemId: number; direction: "up" | "down" },
) {
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

/**
 * The whole agenda reordered in one step: a number per item still to decide,
 * lowest first, numbered as shown (1 for the first item still to decide).
 * Decided items keep their places; the others fill the rest in the order given. Slot invites follow the existing rule for moved slots.
 */
export async function reorderAgenda(
  deps: Deps,
  actor: Actor,
  panelId: number,
  input: { version: number; order: Array<{ itemId: number; position: number }> },
) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    if (!EDITABLE.includes(panel.status)) throw new FormError({ form: "This panel's agenda can no longer change" });
    const items = await listAgendaItems(trx, panelId);
    const open = items.filter((i) => i.status === "listed");
    const given = new Map(input.order.map((o) => [o.itemId, o.position]));
    if (open.length !== given.size || open.some((i) => !given.has(i.id))) {
      throw new FormError({ form: "The agenda has changed since this page was drawn: check the order and send it again" });
    }
    // Lowest number first. On the same number the item whose number was changed goes first (typing 2 beside
    // the fifth item moves it to second; the others make room), then today's order.
    const moved = (item: (typeof open)[number]) => (given.get(item.id) === open.indexOf(item) + 1 ? 1 : 0);
    const reordered = [...open].sort((a, b) => given.get(a.id)! - given.get(b.id)! || moved(a) - moved(b) || a.position - b.position);
    const places = open.map((i) => i.position);
    const changed = reordered.flatMap((item, index) => (item.position !== places[index] ? [{ item, position: places[index] }] : []));
    if (!changed.length) return;
    for (const { item, position } of changed) await updateAgendaItem(trx, item.id, { position });
    await touchPanel(trx, panel, now);
    await audit(trx, actor, now, "panel.agenda_reordered", panelId, { itemIds: reordered.map((i) => i.id) });
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
  if (!from || from.area_id !== panel.area_id || !EDITABLE.includes(from.status) || from.status === "in_session") {
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
export async function changePanelDetails(
  deps: Deps,
  actor: Actor,
  panelId: number,
  input: z.output<ReturnType<typeof panelDetailsSchema>>,
) {
  const now = deps.clock.now();
  const date = isoFromParts(input as Record<string, unknown>, "meeting");
  if (!date) throw new FormError({ meetingDay: "The date of the panel must be a real date" });
  const startsAt = wallClock(date, input.startTime);
  const endsAt = wallClock(date, input.endTime);
  if (startsAt <= now) throw new FormError({ startTime: "The panel must start in the future" });
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    if (!["scheduled", "agenda_open", "agenda_closed"].includes(panel.status)) {
      throw new FormError({ form: "A panel that has started, ended or been cancelled cannot be moved" });
    }
    if (panel.kind === "routine" && date !== panel.meeting_date) {
      if (await findRoutinePanelOn(trx, panel.area_id, date)) throw new FormError({ meetingDay: "This area already has a panel that day" });
    }
    await touchPanel(trx, panel, now, {
      meetingDate: date,
      startsAt,
      endsAt,
      // A moved panel's cut-off is never after it starts.
      cutoffAt: new Date(panel.cutoff_at) < startsAt ? new Date(panel.cutoff_at) : startsAt,
      venue: input.venue ?? null,
      meetingLink: input.meetingLink ?? null,
      bumpInvite: true,
    });
    await sendPanelInvites(trx, panelId, "updated", appUrlOf(deps), now);
    await refreshSlotInvites(trx, panelId, appUrlOf(deps), now);
    await audit(trx, actor, now, "panel.details_changed", panelId, { date, startTime: input.startTime, endTime: input.endTime });
  });
}

export async function cancelPanel(deps: Deps, actor: Actor, panelId: number, input: { version: number; reason: string }) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    await cancelPanelInTransaction(trx, deps, actor.user.id, panel, input.reason, now).catch((error: unknown) => {
      throw isRefused(error) ? new FormError({ reason: "A panel that has started cannot be cancelled" }) : error;
    });
    await audit(trx, actor, now, "panel.cancelled", panelId, {});
  });
}

/** The whole meeting's invite as a file, for those invited to the whole panel (others have their slot's). */
export async function panelInviteFile(deps: Deps, actor: Actor, panelId: number) {
  const panel = await visiblePanel(deps, actor, panelId);
  const everyone = await listAttendees(deps.db, [panelId]);
  if (!seesWholePanel(actor, everyone)) throw notFound();
  const attendees = wholeMeetingInvitees(everyone);
  const method = panel.status === "cancelled" ? "CANCEL" : "REQUEST";
  await recordRead(deps, actor, { action: "panel.invite_downloaded", recordType: "panel", recordId: panelId });
  return buildCalendar(
    method,
    [
      panelEvent(
        panel,
        attendees.map((a) => ({ name: a.name, email: a.email })),
        appUrlOf(deps),
      ),
    ],
    deps.clock.now(),
  );
}
