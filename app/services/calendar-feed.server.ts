import { randomBytes } from "node:crypto";
import { insertAuditEvent } from "../../db/queries/audit";
import { listAttendees } from "../../db/queries/panels";
import { buildCalendar, type CalendarEvent } from "../../emails/calendar";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { agendaSlots } from "../lib/agenda-slots";
import { sessionIdFor } from "./auth.server";
import { itemUid, panelEvent } from "./panel-invites.server";

/**
 * A person's private calendar feed: their panels, their agenda slots and their
 * actions' due dates, at an address whose secret only they hold. The database
 * keeps a hash of the secret; a new address replaces the old one.
 */

export async function hasCalendarFeed(deps: Deps, actor: Actor) {
  const row = await deps.db.selectFrom("users").select("calendar_token_hash").where("id", "=", actor.user.id).executeTakeFirst();
  return Boolean(row?.calendar_token_hash);
}

export async function resetCalendarFeed(deps: Deps, actor: Actor) {
  const token = randomBytes(32).toString("base64url");
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ calendar_token_hash: sessionIdFor(token) }).where("id", "=", actor.user.id).execute();
    await insertAuditEvent(trx, { at: deps.clock.now(), actorUserId: actor.user.id, action: "calendar.feed_reset", recordType: "user", recordId: actor.user.id, ip: actor.ip });
  });
  return `${appUrlOf(deps)}/calendar/${token}.ics`;
}

const DAY = 24 * 3600_000;

/** The feed for a secret, or null when no active user holds it. */
export async function calendarFeed(deps: Deps, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const user = await deps.db
    .selectFrom("users")
    .select(["id"])
    .where("calendar_token_hash", "=", sessionIdFor(token))
    .where("active", "=", true)
    .executeTakeFirst();
  if (!user) return null;
  const now = deps.clock.now();
  const appUrl = appUrlOf(deps);
  const panels = await deps.db
    .selectFrom("panel_attendees")
    .innerJoin("panels", "panels.id", "panel_attendees.panel_id")
    .innerJoin("areas", "areas.id", "panels.area_id")
    .leftJoin("users as chair", "chair.id", "panels.chair_user_id")
    .selectAll("panels")
    .select(["panel_attendees.role as my_role", "areas.name as area_name", "chair.name as chair_name", "chair.email as chair_email"])
    .where("panel_attendees.user_id", "=", user.id)
    .where("panels.status", "<>", "cancelled")
    .where("panels.starts_at", ">", new Date(now.getTime() - 60 * DAY))
    .execute();
  const events: CalendarEvent[] = [];
  const whole = panels.filter((p) => p.my_role !== "item");
  const attendees = await listAttendees(deps.db, whole.map((p) => p.id));
  for (const panel of whole) {
    const people = attendees.filter((a) => a.panel_id === panel.id && a.role !== "item").map((a) => ({ name: a.name, email: a.email }));
    events.push(panelEvent(panel, people, appUrl));
  }
  const slotPanels = panels.filter((p) => p.my_role === "item");
  if (slotPanels.length) {
    const items = await deps.db
      .selectFrom("agenda_items")
      .innerJoin("cases", "cases.id", "agenda_items.case_id")
      .select(["agenda_items.id", "agenda_items.panel_id", "agenda_items.slot_minutes", "agenda_items.pinned_start", "agenda_items.invite_sent_user_ids", "agenda_items.invite_sequence", "cases.reference"])
      .where("agenda_items.panel_id", "in", slotPanels.map((p) => p.id))
      .where("agenda_items.status", "in", ["listed", "decided"])
      .orderBy("agenda_items.position")
      .execute();
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
          location: [panel.venue, panel.meeting_link].filter(Boolean).join(" / ") || null,
          url: `${appUrl}/panels/${panel.id}`,
          organizer: null,
          attendees: [],
        });
      }
    }
  }
  const actions = await deps.db
    .selectFrom("actions")
    .innerJoin("cases", "cases.id", "actions.case_id")
    .select(["actions.id", "actions.due_date", "cases.reference"])
    .where("actions.owner_user_id", "=", user.id)
    .where("actions.status", "=", "open")
    .execute();
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
