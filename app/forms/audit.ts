import { z } from "zod";
import { dateParts, datePartFields, datePartsGiven, datePartsOf, isoFromParts } from "../lib/dates";
import { MAX_ID } from "../lib/validation";

const isoDate = (message: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, message)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), message)
    .optional();

const LABELS = { from: "the first day", to: "the last day" } as const;

/**
 * The auditors' filters, all optional, read from the page's address. The days
 * are asked as GOV.UK date inputs (fromDay, fromMonth, fromYear; the same for
 * to); `from` and `to` as ISO dates still work, for the CSV link and bookmarks.
 */
export const auditFilterSchema = z
  .object({
    person: z.union([z.literal(""), z.coerce.number().int().positive().max(MAX_ID)]).optional(),
    reference: z
      .string()
      .trim()
      .max(40, "A case reference is at most 40 characters")
      .regex(/^[A-Za-z0-9-]*$/, "A case reference has letters, numbers and dashes only")
      .optional(),
    action: z
      .string()
      .max(80, "Choose an action from the list")
      .regex(/^[a-z_.]*$/, "Choose an action from the list")
      .optional(),
    from: isoDate("Enter the first day as a date, like 2026-11-01").or(z.literal("")),
    to: isoDate("Enter the last day as a date, like 2026-11-30").or(z.literal("")),
    ...datePartFields("from"),
    ...datePartFields("to"),
  })
  .superRefine((v, ctx) => {
    for (const prefix of ["from", "to"] as const) {
      if (datePartsGiven(v, prefix)) dateParts(prefix, LABELS[prefix], "9999-12-31", {})(v, ctx);
    }
    const from = dayOf(v, "from");
    const to = dayOf(v, "to");
    if (from && to && from > to) {
      ctx.addIssue({
        code: "custom",
        path: [datePartsGiven(v, "to") ? "toDay" : "to"],
        message: "The last day must be on or after the first day",
      });
    }
  })
  .transform((v) => ({
    person: v.person,
    reference: v.reference,
    action: v.action,
    from: dayOf(v, "from"),
    to: dayOf(v, "to"),
  }));
export type AuditFilters = Partial<z.output<typeof auditFilterSchema>>;

/** The day a filter names: from its date parts when given, else its ISO form. */
function dayOf(v: Record<string, unknown>, prefix: "from" | "to"): string | undefined {
  if (datePartsGiven(v, prefix)) return isoFromParts(v, prefix) ?? undefined;
  return typeof v[prefix] === "string" && v[prefix] ? (v[prefix] as string) : undefined;
}

/** The date parts to show for a filter given either way. */
export function auditDateParts(values: Record<string, string>): Record<string, string> {
  const shown: Record<string, string> = { ...values };
  for (const prefix of ["from", "to"] as const) {
    const iso = values[prefix] ?? "";
    if (/^\d{4}-\d{2}-\d{2}$/.test(iso) && !datePartsGiven(values, prefix)) Object.assign(shown, datePartsOf(prefix, iso));
  }
  return shown;
}
