import { describe, expect, it } from "vitest";
import { agendaSlots } from "../../app/lib/agenda-slots";

const panel = { meetingDate: "2027-03-31", startsAt: new Date("2027-03-31T09:00:00Z"), endsAt: new Date("2027-03-31T11:00:00Z") };

describe("agenda slots", () => {
  it("runs items back to back from the panel's start, in UK time after the clocks go forward", () => {
    const slots = agendaSlots(panel, [
      { id: 1, slotMinutes: 15, pinnedStart: null },
      { id: 2, slotMinutes: 20, pinnedStart: null },
      { id: 3, slotMinutes: 10, pinnedStart: null },
    ]);
    expect(slots.map((s) => [s.startsAt.toISOString(), s.endsAt.toISOString()])).toEqual([
      ["2027-03-31T09:00:00.000Z", "2027-03-31T09:15:00.000Z"],
      ["2027-03-31T09:15:00.000Z", "2027-03-31T09:35:00.000Z"],
      ["2027-03-31T09:35:00.000Z", "2027-03-31T09:45:00.000Z"],
    ]);
    expect(slots.some((s) => s.overlaps || s.pastEnd)).toBe(false);
  });

  it("honours a pinned start (UK wall clock) and later items follow it", () => {
    const slots = agendaSlots(panel, [
      { id: 1, slotMinutes: 15, pinnedStart: null },
      { id: 2, slotMinutes: 15, pinnedStart: "10:30" },
      { id: 3, slotMinutes: 15, pinnedStart: null },
    ]);
    expect(slots[1].startsAt.toISOString()).toBe("2027-03-31T09:30:00.000Z");
    expect(slots[2].startsAt.toISOString()).toBe("2027-03-31T09:45:00.000Z");
  });

  it("flags a pinned slot that overlaps the item before and one that runs past the end", () => {
    const slots = agendaSlots(panel, [
      { id: 1, slotMinutes: 30, pinnedStart: null },
      { id: 2, slotMinutes: 15, pinnedStart: "10:20" },
      { id: 3, slotMinutes: 90, pinnedStart: null },
    ]);
    expect(slots.map((s) => [s.overlaps, s.pastEnd])).toEqual([
      [false, false],
      [true, false],
      [false, true],
    ]);
  });
});
