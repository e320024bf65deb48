import { DateTime } from "luxon";
import { z } from "zod";
import { isValidNhsNumber, nhsDigits } from "../../domain/nhs-number";
import type { CaseSearch } from "../../db/queries/cases";
import { REFERENCE_PATTERN } from "./request";

const DATE_FORMATS = ["d/M/yyyy", "d-M-yyyy", "d.M.yyyy", "d M yyyy", "yyyy-MM-dd", "d MMMM yyyy", "d MMM yyyy"];
const HELP = "Enter a name, a date of birth like 27/3/2015, a case reference like TH-2026-000123, an NHS number or a case system number";

/** A date of birth as typed in a search, as an ISO date, or null when it is not one. */
function typedDate(text: string): string | null {
  for (const format of DATE_FORMATS) {
    const parsed = DateTime.fromFormat(text, format, { locale: "en-GB" });
    if (parsed.isValid && parsed.year >= 1900) return parsed.toISODate();
  }
  return null;
}

/**
 * One box, as people search: what was typed is read as a case reference, an
 * NHS number (ten digits, checked), a date of birth, a case system number
 * (letters and digits in one word) or the words of a name; a name and a date
 * of birth can be given together ("Alfie 27/3/2015").
 */
export const caseSearchSchema = z.object({
  q: z
    .string({ error: HELP })
    .trim()
    .min(2, HELP)
    .max(200, "Search for at most 200 characters")
    .transform((text, ctx): CaseSearch => {
      const upper = text.toUpperCase();
      if (REFERENCE_PATTERN.test(upper)) return { reference: upper };
      if (/^[\d\s-]+$/.test(text) && nhsDigits(text)) {
        if (isValidNhsNumber(text)) return { nhsNumber: nhsDigits(text)! };
        ctx.addIssue({ code: "custom", message: "That is not a real NHS number: check the 10 digits" });
        return z.NEVER;
      }
      const whole = typedDate(text);
      if (whole) return { dateOfBirth: whole };
      const words = text.split(/\s+/);
      const date = words.map((w) => (/\d/.test(w) ? typedDate(w) : null)).find(Boolean) ?? undefined;
      if (words.length === 1 && /\d/.test(text) && /^[A-Za-z0-9/_-]+$/.test(text) && !date) return { caseSystemId: text };
      const nameWords = words.filter((w) => !/\d/.test(w) && w.length >= 2);
      if (!nameWords.length && !date) {
        ctx.addIssue({ code: "custom", message: HELP });
        return z.NEVER;
      }
      return { ...(date ? { dateOfBirth: date } : {}), ...(nameWords.length ? { nameWords } : {}) };
    }),
});
