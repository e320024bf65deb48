import { z } from "zod";
import { MAX_ID } from "../lib/validation";

const isoDate = (message: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, message)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), message)
    .optional();

/** The auditors' filters, all optional, read from the page's address. */
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
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.from > v.to)
      ctx.addIssue({ code: "custom", path: ["to"], message: "The last day must be on or after the first day" });
  });
export type AuditFilters = z.output<typeof auditFilterSchema>;
