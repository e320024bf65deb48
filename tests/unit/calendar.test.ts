import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import ICAL from "ical.js";
import { UNTYPEABLE_CHARACTER } from "../../app/lib/control-characters";
import { describe, expect, it } from "vitest";
import { buildCalendar, type CalendarEvent } from "../../emails/calendar";

function event(over: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    uid: "panel-7@threshold.example.org",
    sequence: 0,
    startsAt: new Date("2027-03-24T10:00:00Z"),
    endsAt: new Date("2027-03-24T12:00:00Z"),
    summary: "Crewe step-up/step-down panel",
    description: "Agenda in Threshold",
    location: "Delamere House",
    url: "https://threshold.example.org/panels/7",
    organizer: { name: "Chris Chair", email: "chair@example.org" },
    attendees: [{ name: "Nina Nurse", email: "nurse@example.org" }],
    ...over,
  };
}

function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const timezone = calendar.getFirstSubcomponent("vtimezone");
  if (timezone) ICAL.TimezoneService.register(new ICAL.Timezone(timezone));
  return { calendar, event: new ICAL.Event(calendar.getFirstSubcomponent("vevent")!) };
}

describe("calendar invites", () => {
  it("writes an iMIP REQUEST in Europe/London that parses, with organizer, attendees and RSVP", () => {
    const ics = buildCalendar("REQUEST", [event()], new Date("2026-11-23T09:00:00Z"));
    const { calendar, event: e } = parse(ics);
    expect(calendar.getFirstPropertyValue("method")).toBe("REQUEST");
    expect(e.uid).toBe("panel-7@threshold.example.org");
    expect(e.sequence).toBe(0);
    expect(e.startDate.zone?.tzid).toBe("Europe/London");
    expect(e.startDate.toString()).toBe("2027-03-24T10:00:00");
    expect(e.startDate.toJSDate().toISOString()).toBe("2027-03-24T10:00:00.000Z");
    expect(String(e.organizer)).toBe("mailto:chair@example.org");
    const attendee = e.attendees[0];
    expect(attendee.getFirstValue()).toMatch(/^mailto:nurse@example.org$/i);
    expect(attendee.getParameter("rsvp")).toBe("TRUE");
    expect(ics).toMatch(/DTSTAMP:20261123T090000Z/);
    expect(ics).toContain("BEGIN:VTIMEZONE");
  });

  it("keeps 10am local on both sides of the spring clock change", () => {
    const before = parse(buildCalendar("REQUEST", [event()], new Date())).event;
    const after = parse(
      buildCalendar(
        "REQUEST",
        [event({ startsAt: new Date("2027-03-31T09:00:00Z"), endsAt: new Date("2027-03-31T11:00:00Z") })],
        new Date(),
      ),
    ).event;
    expect(before.startDate.hour).toBe(10);
    expect(after.startDate.hour).toBe(10);
    expect(after.startDate.toJSDate().toISOString()).toBe("2027-03-31T09:00:00.000Z");
  });

  it("cancels with METHOD:CANCEL, the same UID and a higher SEQUENCE", () => {
    const { calendar, event: e } = parse(buildCalendar("CANCEL", [event({ sequence: 3 })], new Date()));
    expect(calendar.getFirstPropertyValue("method")).toBe("CANCEL");
    expect(e.uid).toBe("panel-7@threshold.example.org");
    expect(e.sequence).toBe(3);
    expect(e.component.getFirstPropertyValue("status")).toBe("CANCELLED");
  });

  it("keeps a quote, a backslash or a control character typed in a name or venue from rewriting the invite (two independent parsers)", () => {
    const hostile = 'Nina" ;ROLE=CHAIR;PARTSTAT=ACCEPTED;X="\\x';
    const ics = buildCalendar(
      "REQUEST",
      [
        event({
          organizer: { name: 'Chris "the chair"', email: "chair@example.org" },
          attendees: [
            { name: hostile, email: "nurse@example.org" },
            { name: "Line\nBreak\u0007Bell", email: "other@example.org" },
          ],
          location: "Room 2\u0000;\nATTENDEE:mailto:evil@example.org",
        }),
      ],
      new Date("2026-11-23T09:00:00Z"),
    );
    // ical.js: two attendees, each keeps the default role and status, no attendee smuggled in through the venue.
    const { event: e } = parse(ics);
    expect(e.attendees.map((a) => String(a.getFirstValue()).toLowerCase())).toEqual([
      "mailto:nurse@example.org",
      "mailto:other@example.org",
    ]);
    for (const a of e.attendees) {
      expect(a.getParameter("role")).toBe("REQ-PARTICIPANT");
      expect(a.getParameter("partstat")).toBe("NEEDS-ACTION");
    }
    expect(e.attendees[0].getParameter("cn")).toBe("Nina' ;ROLE=CHAIR;PARTSTAT=ACCEPTED;X='/x");
    expect(e.location).toBe("Room 2 ;\nATTENDEE:mailto:evil@example.org");
    expect(ics).not.toMatch(UNTYPEABLE_CHARACTER);

    // Python's icalendar (Debian's python3-icalendar) reads it the same way.
    const python = "/usr/bin/python3";
    if (!existsSync(python)) throw new Error("Install python3-icalendar (apt-get install python3-icalendar) for the second parser");
    const read = execFileSync(
      python,
      [
        "-c",
        `import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
ev = [c for c in cal.walk("VEVENT")][0]
att = ev.get("ATTENDEE")
att = att if isinstance(att, list) else [att]
print(json.dumps({"attendees": [str(a) for a in att], "params": [dict(a.params) for a in att], "location": str(ev.get("LOCATION"))}))`,
      ],
      { input: ics },
    ).toString();
    const parsed = JSON.parse(read) as { attendees: string[]; params: Array<Record<string, string>>; location: string };
    expect(parsed.attendees.map((a) => a.toLowerCase())).toEqual(["mailto:nurse@example.org", "mailto:other@example.org"]);
    expect(parsed.params.map((p) => [p.ROLE, p.PARTSTAT])).toEqual([
      ["REQ-PARTICIPANT", "NEEDS-ACTION"],
      ["REQ-PARTICIPANT", "NEEDS-ACTION"],
    ]);
    expect(parsed.params[0].CN).toBe("Nina' ;ROLE=CHAIR;PARTSTAT=ACCEPTED;X='/x");
    expect(parsed.params[1].CN).toBe("Line Break Bell");
    expect(parsed.location).toBe("Room 2 ;\nATTENDEE:mailto:evil@example.org");
  });
});
