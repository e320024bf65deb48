import { describe, expect, it } from "vitest";
import { parseClockTime } from "../../app/lib/clock-time";

describe("times as people write them", () => {
  it("takes the 24-hour clock and the 12-hour one, with or without minutes, spaces or dots", () => {
    for (const [typed, time] of [
      ["14:00", "14:00"],
      ["9:05", "09:05"],
      ["14.30", "14:30"],
      ["2pm", "14:00"],
      ["2 PM", "14:00"],
      ["2:30pm", "14:30"],
      ["2.30 p.m.", "14:30"],
      ["10am", "10:00"],
      ["12pm", "12:00"],
      ["12am", "00:00"],
      [" 16:00 ", "16:00"],
    ]) {
      expect(parseClockTime(typed!), typed).toBe(time);
    }
  });

  it("refuses what is not a time of day", () => {
    for (const typed of ["25:00", "2:75pm", "13pm", "0am", "noon", "", "14", "1400", "2:3pm"])
      expect(parseClockTime(typed), typed).toBeNull();
  });
});
