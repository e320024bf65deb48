import { DateTime } from "luxon";
import { z } from "zod";
import type { Clock } from "./clock";

export const ZONE = "Europe/London";

// Formatters are built once: constructing Intl formatters (or luxon zone
// conversions) per call dominated the cost of long agendas.
const timeFormat = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "numeric", minute: "2-digit", hour12: true });
const dateFormat = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, day: "numeric", month: "long", year: "numeric" });
const isoDateFormat = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

// The same few hundred slot times are shown again and again: remembered by the minute.
const timeCache = new Map<number, string>();

/** "10:45am" in UK time, the GOV.UK style. */
export function formatTime(date: Date | string): string {
  const at = new Date(date).getTime();
  const cached = timeCache.get(at);
  if (cached !== undefined) return cached;
  const text = formatTimeNow(at);
  if (timeCache.size > 10_000) timeCache.clear();
  timeCache.set(at, text);
  return text;
}

function formatTimeNow(at: number): string {
  const parts = timeFormat.formatToParts(new Date(at));
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

// ---- GOV.UK date inputs (day, month, year) ----

/** A GOV.UK date input (day, month, year) as an ISO date, with messages about what is wrong. */
export function dateParts(prefix: string, label: string, today: string, options: { notFuture?: boolean; notPast?: boolean }) {
  return (values: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const day = String(values[`${prefix}Day`] ?? "").trim();
    const month = String(values[`${prefix}Month`] ?? "").trim();
    const year = String(values[`${prefix}Year`] ?? "").trim();
    if (!day && !month && !year) {
      ctx.addIssue({ code: "custom", path: [`${prefix}Day`], message: `Enter ${label}` });
      return;
    }
    const missing = [!day && "day", !month && "month", !year && "year"].filter(Boolean);
    if (missing.length) {
      ctx.addIssue({ code: "custom", path: [`${prefix}Day`], message: `${capitalise(label)} must include a ${missing.join(" and ")}` });
      return;
    }
    // Only digits reach the date library: it throws on a part that is not a number.
    const digits = /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year);
    const date = digits ? DateTime.fromObject({ day: Number(day), month: Number(month), year: Number(year) }, { zone: ZONE }) : null;
    if (!date || !date.isValid) {
      ctx.addIssue({ code: "custom", path: [`${prefix}Day`], message: `${capitalise(label)} must be a real date` });
      return;
    }
    if (options.notFuture && date.toISODate()! > today) {
      ctx.addIssue({ code: "custom", path: [`${prefix}Day`], message: `${capitalise(label)} must be today or in the past` });
    }
    if (options.notPast && date.toISODate()! < today) {
      ctx.addIssue({ code: "custom", path: [`${prefix}Day`], message: `${capitalise(label)} must be today or in the future` });
    }
    if (date.year < 1900) {
      ctx.addIssue({ code: "custom", path: [`${prefix}Day`], message: `${capitalise(label)} must be after 1900` });
    }
  };
}

function capitalise(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function isoFromParts(values: Record<string, unknown>, prefix: string): string | null {
  const parts = ["Day", "Month", "Year"].map((p) => Number(String(values[`${prefix}${p}`] ?? "").trim() || NaN));
  if (parts.some((n) => !Number.isInteger(n))) return null;
  const date = DateTime.fromObject(
    {
      day: Number(values[`${prefix}Day`]),
      month: Number(values[`${prefix}Month`]),
      year: Number(values[`${prefix}Year`]),
    },
    { zone: ZONE },
  );
  return date.isValid ? date.toISODate() : null;
}

/** A calendar date ("2026-12-10") as a date input's three fields hold it: { <prefix>Day: "10", … }. */
export function datePartsOf(prefix: string, isoDate: string): Record<string, string> {
  const [year, month, day] = isoDate.split("-");
  return { [`${prefix}Day`]: String(Number(day)), [`${prefix}Month`]: String(Number(month)), [`${prefix}Year`]: year ?? "" };
}

/** Whether any of a date input's parts (<prefix>Day, Month, Year) was filled in. */
export function datePartsGiven(values: object, prefix: string) {
  const v = values as Record<string, unknown>;
  return [v[`${prefix}Day`], v[`${prefix}Month`], v[`${prefix}Year`]].some(Boolean);
}

export const datePartFields = (prefix: string) => ({
  [`${prefix}Day`]: z.string().trim().max(2, "Enter a real day").optional(),
  [`${prefix}Month`]: z.string().trim().max(2, "Enter a real month").optional(),
  [`${prefix}Year`]: z.string().trim().max(4, "Enter a real year").optional(),
});

/** "HH:mm" in UK time, for a time input's value. */
export function timeInputValue(date: Date | string): string {
  return DateTime.fromJSDate(new Date(date)).setZone(ZONE).toFormat("HH:mm");
}
