import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { driftedBeyond, estimateLive, overrunMinutes, runningLine, type LiveItemInput } from "../../app/lib/live-estimate";

const at = (iso: string) => new Date(iso);
const london = (d: Date) => DateTime.fromJSDate(d).setZone("Europe/London").toFormat("HH:mm");

/** A 10:00–12:00 panel (UK time, 25 November 2026) of 15-minute items. */
function agenda(count: number, start = "2026-11-25T10:00:00Z", end = "2026-11-25T12:00:00Z") {
  const panel = { startsAt: at(start), endsAt: at(end) };
  const items: LiveItemInput[] = Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    position: i + 1,
    slotMinutes: 15,
    plannedStart: new Date(panel.startsAt.getTime() + i * 15 * 60_000),
    pinned: false,
    startedAt: null,
    endedAt: null,
    skipped: false,
  }));
  return { panel, items };
}
const times = (e: ReturnType<typeof estimateLive>) => e.items.map((i) => `${i.id}:${london(i.start)}`);

describe("live estimate", () => {
  it("before the meeting starts, items keep their planned times; after the planned start, they follow now", () => {
    const { panel, items } = agenda(3);
    expect(times(estimateLive(panel, items, at("2026-11-25T09:50:00Z")))).toEqual(["1:10:00", "2:10:15", "3:10:30"]);
    const late = estimateLive(panel, items, at("2026-11-25T10:07:00Z"));
    expect(times(late)).toEqual(["1:10:07", "2:10:22", "3:10:37"]);
    expect(runningLine(late)).toBe("Expected to start 7 minutes late");
  });

  it("items running late push the rest back, at the pace the meeting is going", () => {
    const { panel, items } = agenda(4);
    // Item 1 took 30 minutes for a 15-minute slot: pace 2, so each later slot is expected to take 30.
    items[0] = { ...items[0]!, startedAt: at("2026-11-25T10:00:00Z"), endedAt: at("2026-11-25T10:30:00Z") };
    items[1] = { ...items[1]!, startedAt: at("2026-11-25T10:30:00Z") };
    const e = estimateLive(panel, items, at("2026-11-25T10:35:00Z"));
    expect(e.pace).toBe(2);
    expect(e.currentId).toBe(2);
    expect(times(e)).toEqual(["1:10:00", "2:10:30", "3:11:00", "4:11:30"]);
    expect(runningLine(e)).toBe("Running 15 minutes late");
    expect(e.items[0]!.actualMinutes).toBe(30);
  });

  it("items finishing early bring the rest forward, never before now", () => {
    const { panel, items } = agenda(3);
    items[0] = { ...items[0]!, startedAt: at("2026-11-25T10:00:00Z"), endedAt: at("2026-11-25T10:06:00Z") };
    items[1] = { ...items[1]!, startedAt: at("2026-11-25T10:06:00Z") };
    const e = estimateLive(panel, items, at("2026-11-25T10:08:00Z"));
    // Pace 6/15 is held at one half: the current item is expected to end 7.5 minutes after it began.
    expect(e.pace).toBe(0.5);
    expect(times(e)).toEqual(["1:10:00", "2:10:06", "3:10:13"]);
    expect(runningLine(e)).toBe("Running 9 minutes early");
    // The current item overrunning its estimate is expected to end no earlier than now.
    const later = estimateLive(panel, items, at("2026-11-25T10:20:00Z"));
    expect(london(later.items[2]!.start)).toBe("10:20");
  });

  it("a skipped item comes back after the rest, and is discussed when returned to", () => {
    const { panel, items } = agenda(4);
    items[0] = { ...items[0]!, startedAt: at("2026-11-25T10:00:00Z"), endedAt: at("2026-11-25T10:15:00Z") };
    items[1] = { ...items[1]!, skipped: true };
    items[2] = { ...items[2]!, startedAt: at("2026-11-25T10:15:00Z") };
    const e = estimateLive(panel, items, at("2026-11-25T10:16:00Z"));
    expect(e.items.map((i) => [i.id, i.number, i.state])).toEqual([
      [1, 1, "done"],
      [3, 2, "current"],
      [4, 3, "waiting"],
      [2, 4, "skipped"],
    ]);
    expect(times(e)).toEqual(["1:10:00", "3:10:15", "4:10:30", "2:10:45"]);
    // The chair returns to it: it is the current item, its slot counted from now.
    items[2] = { ...items[2]!, endedAt: at("2026-11-25T10:30:00Z") };
    items[1] = { ...items[1]!, skipped: false, startedAt: at("2026-11-25T10:30:00Z") };
    const back = estimateLive(panel, items, at("2026-11-25T10:31:00Z"));
    expect(back.currentId).toBe(2);
    expect(times(back)).toEqual(["1:10:00", "3:10:15", "2:10:30", "4:10:45"]);
  });

  it("follows the agenda as reordered mid-meeting", () => {
    const { panel, items } = agenda(4);
    items[0] = { ...items[0]!, startedAt: at("2026-11-25T10:00:00Z") };
    // The chair moves item 4 up to second.
    items[3] = { ...items[3]!, position: 2 };
    items[1] = { ...items[1]!, position: 3 };
    items[2] = { ...items[2]!, position: 4 };
    expect(times(estimateLive(panel, items, at("2026-11-25T10:05:00Z")))).toEqual(["1:10:00", "4:10:15", "2:10:30", "3:10:45"]);
  });

  it("a pinned item starts no earlier than its time", () => {
    const { panel, items } = agenda(3);
    items[2] = { ...items[2]!, pinned: true, plannedStart: at("2026-11-25T11:00:00Z") };
    items[0] = { ...items[0]!, startedAt: at("2026-11-25T10:00:00Z") };
    expect(times(estimateLive(panel, items, at("2026-11-25T10:01:00Z")))).toEqual(["1:10:00", "2:10:15", "3:11:00"]);
  });

  it("says when the panel will run past its planned end", () => {
    const { panel, items } = agenda(8);
    items[0] = { ...items[0]!, startedAt: at("2026-11-25T10:00:00Z"), endedAt: at("2026-11-25T10:25:00Z") };
    items[1] = { ...items[1]!, startedAt: at("2026-11-25T10:25:00Z") };
    const e = estimateLive(panel, items, at("2026-11-25T10:26:00Z"));
    // Pace 25/15: the seven items left take 25 minutes each, ending at 13:20.
    expect(london(e.expectedEnd)).toBe("13:20");
    expect(overrunMinutes(e)).toBe(80);
  });

  it("keeps time across the clock change: a panel on the morning the clocks go forward", () => {
    // 29 March 2026: clocks go forward at 01:00 GMT. A 00:30–02:30 UK-time panel is 00:30 GMT to 01:30 GMT.
    const { panel, items } = agenda(4, "2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z");
    items[0] = { ...items[0]!, startedAt: at("2026-03-29T00:30:00Z"), endedAt: at("2026-03-29T00:45:00Z") };
    items[1] = { ...items[1]!, startedAt: at("2026-03-29T00:45:00Z") };
    const e = estimateLive(panel, items, at("2026-03-29T00:50:00Z"));
    // 15 minutes apart in real time, whatever the wall clock does: 00:30, 00:45, then 02:00 and 02:15 BST.
    expect(times(e)).toEqual(["1:00:30", "2:00:45", "3:02:00", "4:02:15"]);
    expect(runningLine(e)).toBe("Running on time");
  });

  it("with nothing left it says so; invites move only when the time moved more than 10 minutes", () => {
    const { panel, items } = agenda(1);
    items[0] = { ...items[0]!, startedAt: at("2026-11-25T10:00:00Z"), endedAt: at("2026-11-25T10:10:00Z") };
    expect(runningLine(estimateLive(panel, items, at("2026-11-25T10:11:00Z")))).toBe("All items have been discussed");
    expect(driftedBeyond(at("2026-11-25T10:30:00Z"), at("2026-11-25T10:40:00Z"))).toBe(false);
    expect(driftedBeyond(at("2026-11-25T10:30:00Z"), at("2026-11-25T10:41:00Z"))).toBe(true);
    expect(driftedBeyond(null, at("2026-11-25T10:41:00Z"))).toBe(false);
  });
});
