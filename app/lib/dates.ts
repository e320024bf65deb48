import { DateTime } from "luxon";

export const ZONE = "Europe/London";

/** "10:45am" in UK time, the GOV.UK style. */
export function formatTime(date: Date | string): string {
  return DateTime.fromJSDate(new Date(date)).setZone(ZONE).toFormat("h:mma").toLowerCase();
}

/** "23 November 2026" */
export function formatDate(date: Date | string): string {
  const dt = typeof date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(date)
    ? DateTime.fromISO(date, { zone: ZONE })
    : DateTime.fromJSDate(new Date(date)).setZone(ZONE);
  return dt.toFormat("d MMMM yyyy");
}

/** "23 November 2026 at 10:45am" */
export function formatDateTime(date: Date | string): string {
  return `${formatDate(date)} at ${formatTime(date)}`;
}
