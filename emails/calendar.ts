import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { DateTime } from "luxon";
import { UNTYPEABLE_CHARACTER } from "../app/lib/control-characters";
import { ZONE } from "../app/lib/dates";

export interface CalendarPerson {
  name: string;
  email: string;
}

export interface CalendarEvent {
  /** Stable for the life of the meeting or slot: `panel-<id>@<host>`, `panel-<id>-item-<id>@<host>`. */
  uid: string;
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  description: string;
  location: string | null;
  url: string | null;
  organizer: CalendarPerson | null;
  attendees: CalendarPerson[];
  /** Whole-day entries (action due dates in the feed): startsAt/endsAt are UTC midnights. */
  allDay?: boolean;
}

export type CalendarMethod = "REQUEST" | "CANCEL" | "PUBLISH";

// Control characters have no place in iCalendar text (RFC 5545 §3.3.11); a line break is written escaped by the generator.
const CONTROL = new RegExp(UNTYPEABLE_CHARACTER.source, "g");

/**
 * A parameter value built from what people typed (a CN): RFC 5545 quoted
 * strings cannot hold a double quote, a backslash escape or a control
 * character, so those are replaced rather than escaped (an escape would end
 * the quoted string for some readers and let the rest become parameters).
 */
export function parameterText(text: string): string {
  return text
    .replace(CONTROL, " ")
    .replace(/[\r\n\t]/g, " ")
    .replace(/"/g, "'")
    .replace(/\\/g, "/")
    .trim();
}

/** A text property's value from what people typed: control characters go; the generator escapes the rest. */
export function propertyText(text: string): string {
  return text.replace(CONTROL, " ");
}

export function hostOf(appUrl: string): string {
  try {
    return new URL(appUrl).hostname || "threshold.local";
  } catch {
    return "threshold.local";
  }
}

/**
 * An RFC 5545 calendar. REQUEST and CANCEL follow iMIP (RFC 6047): same UID,
 * SEQUENCE raised on every change. Times are written in Europe/London with its
 * VTIMEZONE, so a meeting keeps its local hour across a clock change.
 */
export function buildCalendar(method: CalendarMethod, events: CalendarEvent[], stamp: Date, name = "Threshold"): string {
  const calendar = ical({
    name,
    prodId: { company: "Threshold", product: "Panels", language: "EN" },
    method: ICalCalendarMethod[method],
    // No calendar-wide zone: DTSTAMP must stay UTC; each event names Europe/London and the
    // generator writes its VTIMEZONE.
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  for (const e of events) {
    const event = calendar.createEvent({
      id: e.uid,
      sequence: e.sequence,
      stamp,
      // All-day entries arrive as UTC midnights of their calendar dates.
      start: e.allDay ? e.startsAt : DateTime.fromJSDate(e.startsAt).setZone(ZONE),
      end: e.allDay ? e.endsAt : DateTime.fromJSDate(e.endsAt).setZone(ZONE),
      allDay: e.allDay ?? false,
      timezone: e.allDay ? null : ZONE,
      summary: propertyText(e.summary),
      description: propertyText(e.description),
      location: e.location === null ? null : propertyText(e.location),
      url: e.url,
      status: method === "CANCEL" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      organizer: e.organizer ? { ...e.organizer, name: parameterText(e.organizer.name) } : undefined,
    });
    for (const person of e.attendees) {
      event.createAttendee({
        email: person.email,
        name: parameterText(person.name),
        rsvp: method === "REQUEST",
        role: ICalAttendeeRole.REQ,
        status: ICalAttendeeStatus.NEEDSACTION,
      });
    }
  }
  return calendar.toString();
}
