import { wholeMeetingInvitees } from "./panel-access.server";
import { randomBytes } from "node:crypto";
import { insertAuditEvent } from "../../db/queries/audit";
import { listActionsForOwner } from "../../db/queries/actions";
import { listAttendees } from "../../db/queries/attendance";
import { listFeedPanels } from "../../db/queries/panels";
import { listSlotItems } from "../../db/queries/agenda";
import { findActiveUserByCalendarToken, hasCalendarToken, setCalendarTokenHash } from "../../db/queries/users";
import { buildCalendar, type CalendarEvent } from "../../emails/calendar";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { agendaSlots } from "../lib/agenda-slots";
import { sessionIdFor } from "./auth.server";
import { itemUid, locationOf, panelEvent } from "./panel-invites.server";

/**
 * A person's private calendar feed: their panels, their agenda slots and their
 * actions' due dates, at an address whose secret only they hold. The database
 * keeps a hash of the secret; a new address replaces the old one.
 */

export async function hasCalendarFeed(deps: Deps, actor: Actor) {
  return hasCalendarToken(deps.db, actor.user.id);
}

export async function resetCalendarFeed(deps: Deps, actor: Actor) {
  const token = randomBytes(32).toString("base64url");
  await deps.db.transaction().execute(async (trx) => {
    await setCalendarTokenHash(trx, actor.user.id, sessionIdFor(token));
    await insertAuditEvent(trx, {
      at: deps.clock.now(),
      actorUserId: actor.user.id,
      action: "calendar.feed_reset",
      recordType: "user",
      recordId: actor.user.id,
      ip: actor.ip,
    });
  });
  return `${appUrlOf(deps)}/calendar/${token}.ics`;
}

const DAY = 24 * 3600_000;

/** The feed for a secret, or null when no active user holds it. */
export async function calendarFeed(deps: Deps, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const user = await findActiveUserByCalendarToken(deps.db, sessionIdFor(token));
  if (!user) return null;
  const now = deps.clock.now();
  const appUrl = appUrlOf(deps);
  const panels = await listFeedPanels(deps.db, user.id, new Date(now.getTime() - 60 * DAY));
  await insertAuditEvent(deps.db, {
    at: now,
    actorUserId: user.id,
    action: "calendar_feed.read",
    recordType: "user",
    recordId: user.id,
    detail: { panels: panels.map((p) => p.id) },
  });
  const events: CalendarEvent[] = [];
  const whole = panels.filter((p) => p.my_role !== "item");
  const attendees = await listAttendees(
    deps.db,
    whole.map((p) => p.id),
  );
  for (const panel of whole) {
    const people = wholeMeetingInvitees(attendees.filter((a) => a.panel_id === panel.id)).map((a) => ({ name: a.name, email: a.email }));
    events.push(panelEvent(panel, people, appUrl));
  }
  const slotPanels = panels.filter((p) => p.my_role === "item");
  if (slotPanels.length) {
    const items = await listSlotItems(
      deps.db,
      slotPanels.map((p) => p.id),
    );
    for (const panel of slotPanels) {
      const onPanel = items.filter((i) => i.panel_id === panel.id);
      const slots = agendaSlots(
        { meetingDate: panel.meeting_date, startsAt: new Date(panel.starts_at), endsAt: new Date(panel.ends_at) },
        onPanel.map((i) => ({ id: i.id, slotMinutes: i.slot_minutes, pinnedStart: i.pinned_start })),
      );
      for (const item of onPanel.filter((i) => i.invite_sent_user_ids.includes(user.id))) {
        const slot = slots.find((s) => s.id === item.id)!;
        events.push({
          uid: itemUid(panel.id, item.id, appUrl),
          sequence: item.invite_sequence,
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          summary: `${panel.area_name} panel: case ${item.reference}`,
          description: `Your slot for case ${item.reference}. Details in Threshold (sign-in needed).`,
          location: locationOf(panel),
          url: `${appUrl}/panels/${panel.id}`,
          organizer: null,
          attendees: [],
        });
      }
    }
  }
  const actions = (await listActionsForOwner(deps.db, user.id)).filter((a) => a.status === "open");
  for (const action of actions) {
    const day = new Date(`${action.due_date}T00:00:00Z`);
    events.push({
      uid: `action-${action.id}@${new URL(appUrl).hostname}`,
      sequence: 0,
      startsAt: day,
      endsAt: new Date(day.getTime() + DAY),
      allDay: true,
      summary: `Action due: case ${action.reference}`,
      description: `Open Threshold to see the action (sign-in needed): ${appUrl}/actions`,
      location: null,
      url: `${appUrl}/actions`,
      organizer: null,
      attendees: [],
    });
  }
  return buildCalendar("PUBLISH", events, now, "Threshold panels and actions");
}
