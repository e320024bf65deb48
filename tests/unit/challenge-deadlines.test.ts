import { describe, expect, it } from "vitest";
import { stageDays, stageDeadline } from "../../app/lib/challenge-deadlines";

describe("challenge stage deadlines in working days", () => {
  it("gives stage 1 two working days, skipping the weekend", () => {
    // Thursday 10 December 2026, 14:00 → Monday 14 December, 14:00.
    expect(stageDeadline(new Date("2026-12-10T14:00:00Z"), 1).toISOString()).toBe("2026-12-14T14:00:00.000Z");
  });

  it("skips Christmas, Boxing Day's substitute and New Year's Day", () => {
    // Wednesday 23 December + 3 working days: 24th, 29th, 30th (25th, 28th are bank holidays).
    expect(stageDeadline(new Date("2026-12-23T10:00:00Z"), 2).toISOString()).toBe("2026-12-30T10:00:00.000Z");
    // Stage 5, ten working days from Monday 21 December: 22, 23, 24, 29, 30, 31 Dec, 4, 5, 6, 7 Jan.
    expect(stageDeadline(new Date("2026-12-21T10:00:00Z"), 5).toISOString()).toBe("2027-01-07T10:00:00.000Z");
  });

  it("keeps the UK wall-clock time across the spring clock change", () => {
    // Thursday 25 March 2027, 10:00 GMT. Good Friday is 26 March and Easter Monday 29 March; the clocks go
    // forward on the 28th. Five working days: 30, 31 March, 1, 2, 5 April, at 10:00 BST.
    expect(stageDeadline(new Date("2027-03-25T10:00:00Z"), 3).toISOString()).toBe("2027-04-05T09:00:00.000Z");
  });

  it("reads configured stage lengths and refuses nonsense", () => {
    expect(stageDays(undefined)).toEqual([2, 3, 5, 5, 10]);
    expect(stageDays("1, 2, 3, 4, 5")).toEqual([1, 2, 3, 4, 5]);
    expect(() => stageDays("1,2,3")).toThrowError(/five whole numbers/);
    expect(stageDeadline(new Date("2026-12-10T14:00:00Z"), 1, [1, 2, 3, 4, 5]).toISOString()).toBe("2026-12-11T14:00:00.000Z");
  });
});
