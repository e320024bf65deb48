import Holidays from "date-holidays";
import { DateTime } from "luxon";
import { ZONE } from "./dates";

// England and Wales share bank holidays; date-holidays ships the rules offline.
const englandAndWales = new Holidays("GB", "ENG");
const cache = new Map<number, Set<string>>();

function bankHolidays(year: number): Set<string> {
  let set = cache.get(year);
  if (!set) {
    set = new Set(
      englandAndWales
        .getHolidays(year)
        .filter((h) => h.type === "public" || h.type === "bank")
        .map((h) => h.date.slice(0, 10)),
    );
    cache.set(year, set);
  }
  return set;
}

export function isBankHoliday(isoDate: string): boolean {
  return bankHolidays(Number(isoDate.slice(0, 4))).has(isoDate);
}

export function isWorkingDay(isoDate: string): boolean {
  const weekday = DateTime.fromISO(isoDate, { zone: ZONE }).weekday;
  return weekday <= 5 && !isBankHoliday(isoDate);
}

/** The date itself when it is a working day, else the next one. */
export function nextWorkingDay(isoDate: string): string {
  let day = DateTime.fromISO(isoDate, { zone: ZONE });
  while (!isWorkingDay(day.toISODate()!)) day = day.plus({ days: 1 });
  return day.toISODate()!;
}

/** The date itself when it is a working day, else the one before. */
export function previousWorkingDay(isoDate: string): string {
  let day = DateTime.fromISO(isoDate, { zone: ZONE });
  while (!isWorkingDay(day.toISODate()!)) day = day.minus({ days: 1 });
  return day.toISODate()!;
}

/**
 * `count` working days after `from`, at the same UK wall-clock time: weekends
 * and bank holidays are skipped and a clock change never shifts the hour.
 */
export function addWorkingDays(from: Date, count: number): Date {
  let day = DateTime.fromJSDate(from).setZone(ZONE);
  let added = 0;
  while (added < count) {
    day = day.plus({ days: 1 });
    if (isWorkingDay(day.toISODate()!)) added++;
  }
  return day.toJSDate();
}

/** The working day `count` working days before a UK calendar date. */
export function workingDaysBefore(isoDate: string, count: number): string {
  let day = DateTime.fromISO(isoDate, { zone: ZONE });
  let taken = 0;
  while (taken < count) {
    day = day.minus({ days: 1 });
    if (isWorkingDay(day.toISODate()!)) taken++;
  }
  return day.toISODate()!;
}

/** The working day `count` working days after a UK calendar date. */
export function workingDaysAfter(isoDate: string, count: number): string {
  let day = DateTime.fromISO(isoDate, { zone: ZONE });
  let added = 0;
  while (added < count) {
    day = day.plus({ days: 1 });
    if (isWorkingDay(day.toISODate()!)) added++;
  }
  return day.toISODate()!;
}
