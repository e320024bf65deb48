import { DateTime } from "luxon";
import type { Clock } from "./clock";

export const ZONE = "Europe/London";

// Formatters are built once: constructing Intl formatters (or luxon zone
// conversions) per call dominated the cost of long agendas.
const timeFormat = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "numeric", minute: "2-digit", hour12: true });
const dateFormat = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, day: "numeric", month: "long", year: "numeric" });
const isoDateFormat = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

/** "10:45am" in UK time, the GOV.UK style. */
export function formatTime(date: Date | string): string {
  const parts = timeFormat.formatToParts(new Date(date));
  const hour = parts.find((p) => p.type === "hour")?.value ?? "";
  const minute = parts.find((p) => p.type === "minute")?.value ?? "";
  const period = (parts.find((p) => p.type === "dayPeriod")?.value ?? "").toLowerCase().replace(/\./g, "").replace(/\s/g, "");
  return `${hour === "0" ? "12" : hour}:${minute}${period}`;
}

/** "23 November 2026" */
export function formatDate(date: Date | string): string {
  if (typeof date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(date)) {
    // A calendar date: no time zone to convert.
    return DateTime.fromISO(date, { zone: "utc" }).toFormat("d MMMM yyyy");
  }
  return dateFormat.format(new Date(date));
}

/** "23 November 2026 at 10:45am" */
export function formatDateTime(date: Date | string): string {
  return `${formatDate(date)} at ${formatTime(date)}`;
}

/** The UK calendar date of an instant, "2026-11-23". */
export function ukDate(date: Date): string {
  return isoDateFormat.format(date);
}

/** Today's UK calendar date on the given clock. */
export function todayIn(deps: { clock: Clock }): string {
  return ukDate(deps.clock.now());
}
