import { DateTime } from "luxon";
import * as rrule from "rrule";
import { ZONE } from "./dates";
import { isBankHoliday, nextWorkingDay, previousWorkingDay } from "./working-days";

// rrule ships CommonJS and ES module builds with different export shapes; take RRule from either.
const { RRule } = (rrule as unknown as { RRule?: typeof rrule.RRule }).RRule
  ? (rrule as typeof rrule)
  : (rrule as unknown as { default: typeof rrule }).default;

export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface PanelSchedule {
  /** The first meeting of the series (a UK calendar date). */
  anchorDate: string;
  weekday: Weekday;
  intervalWeeks: number;
  /** UK wall-clock times, "HH:mm". */
  startTime: string;
  endTime: string;
  cutoffDaysBefore: number;
  cutoffTime: string;
}

/** The default for an area: every second Wednesday, 10:00–12:00, cut-off 16:00 a week before. */
export const DEFAULT_SCHEDULE: Omit<PanelSchedule, "anchorDate"> = {
  weekday: "WE",
  intervalWeeks: 2,
  startTime: "10:00",
  endTime: "12:00",
  cutoffDaysBefore: 7,
  cutoffTime: "16:00",
};

export interface PanelOccurrence {
  /** The UK date the panel meets. */
  date: string;
  /** When the recurrence fell on a bank holiday, the date it moved from. */
  movedFrom: string | null;
  startsAt: Date;
  endsAt: Date;
  cutoffAt: Date;
}

function at(date: string, time: string): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toJSDate();
}

/**
 * The panels of a schedule that meet between `fromDate` and `fromDate + weeksAhead`.
 * The recurrence is computed on calendar dates (never instants), then each date is
 * given its UK wall-clock times, so a clock change never moves a meeting's hour.
 * A bank holiday moves the meeting to the next working day.
 */
export function panelOccurrences(schedule: PanelSchedule, fromDate: string, weeksAhead: number): PanelOccurrence[] {
  const anchor = DateTime.fromISO(schedule.anchorDate, { zone: "utc" });
  const from = DateTime.fromISO(fromDate, { zone: "utc" });
  const until = from.plus({ weeks: weeksAhead });
  // rrule works in UTC; dates at UTC midnight stand for UK calendar dates here.
  const rule = new RRule({
    freq: RRule.WEEKLY,
    interval: schedule.intervalWeeks,
    byweekday: [RRule[schedule.weekday]],
    dtstart: anchor.toJSDate(),
  });
  return rule
    .between(from.minus({ days: 7 }).toJSDate(), until.toJSDate(), true)
    .map((d) => DateTime.fromJSDate(d, { zone: "utc" }).toISODate()!)
    .map((recurring) => {
      const date = isBankHoliday(recurring) ? nextWorkingDay(recurring) : recurring;
      const cutoffDate = previousWorkingDay(DateTime.fromISO(date, { zone: ZONE }).minus({ days: schedule.cutoffDaysBefore }).toISODate()!);
      return {
        date,
        movedFrom: date === recurring ? null : recurring,
        startsAt: at(date, schedule.startTime),
        endsAt: at(date, schedule.endTime),
        cutoffAt: at(cutoffDate, schedule.cutoffTime),
      };
    })
    .filter((o) => o.date >= fromDate && o.date <= until.toISODate()!);
}

/** Which panel a request submitted at `submittedAt` goes to: the first whose cut-off has not passed. */
export function panelForSubmission<T extends { cutoffAt: Date }>(panels: T[], submittedAt: Date): T | null {
  return [...panels].sort((a, b) => a.cutoffAt.getTime() - b.cutoffAt.getTime()).find((p) => p.cutoffAt > submittedAt) ?? null;
}
