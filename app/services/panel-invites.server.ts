import { invitedToWhole, wholeMeetingInvitees } from "./panel-access.server";
import type { Database } from "../../db/connect";
import { addAttendees, listAttendees } from "../../db/queries/attendance";
import { findPanel, markAgendaSent } from "../../db/queries/panels";
import { sendPackNotices } from "./pack-notices.server";
import { listAgendaItems, updateAgendaItem, type AgendaItemRow } from "../../db/queries/agenda";
import { listUsersByIds, listUsersOfAgencies } from "../../db/queries/users";
import { buildCalendar, hostOf, type CalendarEvent, type CalendarMethod } from "../../emails/calendar";
import { panelInviteEmail, slotInviteEmail } from "../../emails/panel-invite";
import { enqueueEmail } from "../../emails/outbox";
import type { RenderedEmail } from "../../emails/render";
import { driftedBeyond, estimateForAgenda } from "../lib/live-estimate";
import { agendaSlots } from "../lib/agenda-slots";
import { allowHttpLinks, safeLink } from "../lib/safe-link";

/**
 * Calendar invites for panels and agenda slots, written to the outbox in the
 * caller's transaction. One email per recipient; UIDs never change; SEQUENCE
 * rises with every change so calendars replace the old entry.
 */

type Panel = NonNullable<Awaited<ReturnType<typeof findPanel>>>;

export function panelUid(panelId: number, appUrl: string) {
  return `panel-${panelId}@${hostOf(appUrl)}`;
}

export function itemUid(panelId: number, itemId: number, appUrl: string) {
  return `panel-${panelId}-item-${itemId}@${hostOf(appUrl)}`;
}

function panelTitle(panel: Pick<Panel, "area_name" | "kind">) {
  return `${panel.area_name} ${panel.kind === "extraordinary" ? "extraordinary " : ""}step-up/step-down panel`;
}

/** Where a panel meets, for calendars; a stored link that is not a web address is left out. */
export function locationOf(panel: Pick<Panel, "venue" | "meeting_link">) {
  return [panel.venue, safeLink(panel.meeting_link, { allowHttp: allowHttpLinks() })].filter(Boolean).join(" / ") || null;
}

/** The panel as a calendar event: the whole meeting, for the chair and core members. */
export function panelEvent(panel: Panel, attendees: Array<{ name: string; email: string }>, appUrl: string): CalendarEvent {
  return {
    uid: panelUid(panel.id, appUrl),
    sequence: panel.invite_sequence,
    startsAt: new Date(panel.starts_at),
    endsAt: new Date(panel.ends_at),
    summary: panelTitle(panel),
    description: `Agenda and papers in Threshold (sign-in needed): ${appUrl}/panels/${panel.id}`,
    location: locationOf(panel),
    url: `${appUrl}/panels/${panel.id}`,
    organizer: panel.chair_email ? { name: panel.chair_name ?? "Chair", email: panel.chair_email } : null,
    attendees,
  };
}

/**
 * Sends the whole-meeting invite (new, updated or cancelled) to the chair and core
 * members. `message` replaces the usual wording (an extraordinary panel's call).
 */
export async function sendPanelInvites(
  trx: Database,
  panelId: number,
  change: "new" | "updated" | "cancelled",
  appUrl: string,
  at: Date,
  message?: { email: RenderedEmail; kind: string },
) {
  const panel = await findPanel(trx, panelId);
  if (!panel) return;
  const people = wholeMeetingInvitees(await listAttendees(trx, [panelId]));
  const method: CalendarMethod = change === "cancelled" ? "CANCEL" : "REQUEST";
  const ics = buildCalendar(
    method,
    [
      panelEvent(
        panel,
        people.map((p) => ({ name: p.name, email: p.email })),
        appUrl,
      ),
    ],
    at,
  );
  const rendered =
    message?.email ??
    panelInviteEmail({
      areaName: panel.area_name,
      kind: panel.kind,
      startsAt: new Date(panel.starts_at),
      endsAt: new Date(panel.ends_at),
      venue: panel.venue,
      meetingLink: panel.meeting_link,
      panelUrl: `${appUrl}/panels/${panel.id}`,
      change,
      cancelledReason: panel.cancelled_reason,
    });
  for (const person of people) {
    await enqueueEmail(
      trx,
      {
        ...rendered,
        key: `panel:${panel.id}:seq:${panel.invite_sequence}:${method}:to:${person.user_id}`,
        kind: message?.kind ?? (change === "cancelled" ? "panel_cancelled" : change === "updated" ? "panel_updated" : "panel_invite"),
        to: person.email,
        ics,
        icsMethod: method === "CANCEL" ? "CANCEL" : "REQUEST",
      },
      at,
    );
  }
}

/**
 * Brings every partner's slot invite in line with the agenda: new invitees get
 * a REQUEST, a moved slot an update (SEQUENCE + 1), people no longer invited a
 * CANCEL. Only items whose slot or invitees changed send anything.
 */
export async function refreshSlotInvites(trx: Database, panelId: number, appUrl: string, at: Date) {
  const panel = await findPanel(trx, panelId);
  if (!panel || !["scheduled", "agenda_open", "agenda_closed", "in_session"].includes(panel.status)) return;
  // While the chair prepares the agenda nobody is emailed; it goes once it is sent, or when the meeting starts.
  if (!panel.agenda_sent_at) {
    if (panel.status !== "in_session") return;
    await markAgendaSent(trx, panelId, at);
  }
  const items = await listAgendaItems(trx, panelId, ["listed"]);
  const attendees = await listAttendees(trx, [panelId]);
  const wholeMeeting = new Set(attendees.filter(invitedToWhole).map((a) => a.user_id));
  const agencyIds = [...new Set(items.flatMap((i) => i.invited_agency_ids))];
  const byAgency = await listUsersOfAgencies(trx, agencyIds, panel.area_id);
  const named = await listUsersByIds(trx, [...new Set(items.flatMap((i) => i.invited_user_ids))]);
  const slots = new Map(
    agendaSlots(
      { meetingDate: panel.meeting_date, startsAt: new Date(panel.starts_at), endsAt: new Date(panel.ends_at) },
      items.map((i) => ({ id: i.id, slotMinutes: i.slot_minutes, pinnedStart: i.pinned_start })),
    ).map((s) => [s.id, s]),
  );
  // Once the chair is moving through the agenda, an item's time is its live estimate, and its
  // invitees hear of a new one only when it has moved more than ten minutes from what they were sent.
  const live = panel.status === "in_session" && items.some((i) => i.started_at) ? estimateForAgenda(panel, items, at) : null;
  const liveOf = new Map(live?.items.map((i) => [i.id, i]) ?? []);
  const users = new Map([...byAgency, ...named.filter((u) => u.active)].map((u) => [u.id, u]));
  for (const item of items) {
    const estimate = liveOf.get(item.id);
    // Under discussion or done: its time stands and nobody needs a new one, but who is
    // invited still follows the agenda (someone removed loses the item at once).
    const timeStands = Boolean(live && (item.started_at || !estimate));
    const wanted = [
      ...new Set([
        ...byAgency.filter((u) => item.invited_agency_ids.includes(u.agency_id)).map((u) => u.id),
        ...item.invited_user_ids.filter((id) => users.has(id)),
      ]),
    ].filter((id) => !wholeMeeting.has(id));
    const sentStart = item.invite_sent_start === null ? null : new Date(item.invite_sent_start);
    const planned = slots.get(item.id)!;
    const slot =
      timeStands && sentStart
        ? { startsAt: sentStart, endsAt: new Date(sentStart.getTime() + (planned.endsAt.getTime() - planned.startsAt.getTime())) }
        : estimate && !timeStands
          ? { startsAt: estimate.start, endsAt: estimate.end }
          : planned;
    const sent = new Set(item.invite_sent_user_ids);
    const removed = [...sent].filter((id) => !wanted.includes(id));
    const added = wanted.filter((id) => !sent.has(id));
    const moved = timeStands
      ? false
      : estimate
        ? driftedBeyond(sentStart, slot.startsAt)
        : sentStart !== null && sentStart.getTime() !== slot.startsAt.getTime();
    if (!removed.length && !added.length && !moved) continue;
    const sequence = item.invite_sent_start === null ? item.invite_sequence : item.invite_sequence + 1;
    await addAttendees(
      trx,
      panelId,
      added.map((userId) => ({ userId, role: "item" as const })),
    );
    const recipients = wanted.map((id) => users.get(id)!).filter(Boolean);
    const event = slotEvent(panel, item, slot, sequence, recipients, appUrl);
    for (const person of recipients.filter((p) => moved || added.includes(p.id))) {
      await sendSlotEmail(
        trx,
        panel,
        item,
        event,
        person,
        added.includes(person.id) && !moved ? "new" : moved ? "updated" : "new",
        appUrl,
        at,
      );
    }
    if (removed.length) {
      const gone = await listUsersByIds(trx, removed);
      for (const person of gone) await sendSlotEmail(trx, panel, item, event, person, "cancelled", appUrl, at);
    }
    await updateAgendaItem(trx, item.id, {
      // A live move that was too small to send keeps the time people were last told.
      inviteSent: {
        start: moved || sentStart === null ? slot.startsAt : sentStart,
        userIds: wanted,
        bump: sequence !== item.invite_sequence,
      },
    });
  }
  // Everyone now invited has a pack to read: each is told once (ADR 031).
  await sendPackNotices(trx, panelId, appUrl, at);
}

/** An item left the agenda (moved, withdrawn): everyone invited for its slot gets a CANCEL. */
export async function cancelSlotInvites(trx: Database, panelId: number, itemIds: number[], appUrl: string, at: Date) {
  if (!itemIds.length) return;
  const panel = await findPanel(trx, panelId);
  if (!panel) return;
  const items = (await listAgendaItems(trx, panelId, ["listed", "moved", "withdrawn", "decided", "returned"])).filter((i) =>
    itemIds.includes(i.id),
  );
  for (const item of items) {
    if (!item.invite_sent_start || !item.invite_sent_user_ids.length) continue;
    const start = new Date(item.invite_sent_start);
    const slot = { startsAt: start, endsAt: new Date(start.getTime() + item.slot_minutes * 60_000) };
    const people = await listUsersByIds(trx, item.invite_sent_user_ids);
    const event = slotEvent(panel, item, slot, item.invite_sequence + 1, people, appUrl);
    for (const person of people) await sendSlotEmail(trx, panel, item, event, person, "cancelled", appUrl, at);
    await updateAgendaItem(trx, item.id, { inviteSent: { start: null, userIds: [], bump: true } });
  }
}

function slotEvent(
  panel: Panel,
  item: Pick<AgendaItemRow, "id" | "reference">,
  slot: { startsAt: Date; endsAt: Date },
  sequence: number,
  people: Array<{ name: string; email: string }>,
  appUrl: string,
): CalendarEvent {
  return {
    uid: itemUid(panel.id, item.id, appUrl),
    sequence,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    summary: `${panel.area_name} panel: case ${item.reference}`,
    description: `Your slot at the ${panel.area_name} panel for case ${item.reference}. Details in Threshold (sign-in needed): ${appUrl}/panels/${panel.id}`,
    location: locationOf(panel),
    url: `${appUrl}/panels/${panel.id}`,
    organizer: panel.chair_email ? { name: panel.chair_name ?? "Chair", email: panel.chair_email } : null,
    attendees: people.map((p) => ({ name: p.name, email: p.email })),
  };
}

async function sendSlotEmail(
  trx: Database,
  panel: Panel,
  item: Pick<AgendaItemRow, "id" | "reference">,
  event: CalendarEvent,
  person: { id: number; email: string },
  change: "new" | "updated" | "cancelled",
  appUrl: string,
  at: Date,
) {
  const method = change === "cancelled" ? "CANCEL" : "REQUEST";
  await enqueueEmail(
    trx,
    {
      ...slotInviteEmail({
        areaName: panel.area_name,
        reference: item.reference,
        startsAt: event.startsAt,
        endsAt: event.endsAt,
        venue: panel.venue,
        meetingLink: panel.meeting_link,
        panelUrl: `${appUrl}/panels/${panel.id}`,
        liveUrl: `${appUrl}/panels/${panel.id}/live`,
        change,
      }),
      key: `item:${item.id}:seq:${event.sequence}:${method}:to:${person.id}`,
      kind: change === "cancelled" ? "slot_cancelled" : change === "updated" ? "slot_updated" : "slot_invite",
      to: person.email,
      ics: buildCalendar(method, [event], at),
      icsMethod: method,
    },
    at,
  );
}
