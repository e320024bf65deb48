import { describe, expect, it } from "vitest";
import { DEFAULT_SCHEDULE, panelForSubmission, panelOccurrences } from "../../app/lib/panel-schedule";
import { addWorkingDays, isWorkingDay, nextWorkingDay, workingDaysAfter } from "../../app/lib/working-days";

describe("working days in England and Wales", () => {
  it("skips weekends and bank holidays, including substitute days", () => {
    expect(isWorkingDay("2026-12-25")).toBe(false); // Christmas Day, Friday
    expect(isWorkingDay("2026-12-28")).toBe(false); // Boxing Day substitute, Monday
    expect(isWorkingDay("2026-12-29")).toBe(true);
    expect(nextWorkingDay("2026-12-24")).toBe("2026-12-24");
    expect(nextWorkingDay("2026-12-25")).toBe("2026-12-29");
  });

  it("adds working days across Christmas at the same UK time", () => {
    const deadline = addWorkingDays(new Date("2026-12-23T14:00:00Z"), 2);
    expect(deadline.toISOString()).toBe("2026-12-29T14:00:00.000Z"); // 24th, then 29th
  });

  it("counts a hand-over's five working days from the panel's date, past Christmas", () => {
    expect(workingDaysAfter("2026-12-03", 5)).toBe("2026-12-10"); // Thursday to the next Thursday
    expect(workingDaysAfter("2026-12-21", 5)).toBe("2026-12-30"); // 22, 23, 24, then 29 and 30 (25 and 28 are bank holidays)
  });

  it("keeps the UK wall-clock hour across the clocks going back", () => {
    // Friday 23 Oct 2026 15:00 BST = 14:00 UTC; clocks go back Sunday 25 Oct.
    const deadline = addWorkingDays(new Date("2026-10-23T14:00:00Z"), 1);
    expect(deadline.toISOString()).toBe("2026-10-26T15:00:00.000Z"); // Monday 15:00 GMT
  });
});

describe("generating panels from a schedule", () => {
  const schedule = { ...DEFAULT_SCHEDULE, anchorDate: "2026-10-07" };

  it("meets every second Wednesday for the weeks ahead", () => {
    const dates = panelOccurrences(schedule, "2026-10-01", 12).map((p) => p.date);
    expect(dates).toEqual(["2026-10-07", "2026-10-21", "2026-11-04", "2026-11-18", "2026-12-02", "2026-12-16"]);
  });

  it("keeps 10:00 UK time on both sides of the October clock change", () => {
    const [before, after] = panelOccurrences(schedule, "2026-10-20", 3);
    expect(before.startsAt.toISOString()).toBe("2026-10-21T09:00:00.000Z"); // BST
    expect(after.startsAt.toISOString()).toBe("2026-11-04T10:00:00.000Z"); // GMT
    expect(after.endsAt.toISOString()).toBe("2026-11-04T12:00:00.000Z");
  });

  it("keeps 10:00 UK time across the March clock change", () => {
    const spring = { ...schedule, anchorDate: "2027-03-17" };
    const [, after] = panelOccurrences(spring, "2027-03-15", 3);
    expect(after.date).toBe("2027-03-31");
    expect(after.startsAt.toISOString()).toBe("2027-03-31T09:00:00.000Z");
  });

  it("moves a panel off a bank holiday to the next working day", () => {
    const mondays = { ...schedule, weekday: "MO" as const, anchorDate: "2026-04-06", intervalWeeks: 1 };
    const [easter] = panelOccurrences(mondays, "2026-04-01", 1);
    expect(easter).toMatchObject({ date: "2026-04-07", movedFrom: "2026-04-06" });
    expect(easter.startsAt.toISOString()).toBe("2026-04-07T09:00:00.000Z");
  });

  it("sets the cut-off at 16:00 a week before, and places requests by it", () => {
    const panels = panelOccurrences(schedule, "2026-11-01", 6);
    expect(panels[0].cutoffAt.toISOString()).toBe("2026-10-28T16:00:00.000Z");
    expect(panelForSubmission(panels, new Date("2026-10-28T15:59:00Z"))?.date).toBe("2026-11-04");
    expect(panelForSubmission(panels, new Date("2026-10-28T16:00:00Z"))?.date).toBe("2026-11-18");
  });
});
