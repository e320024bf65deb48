import { z } from "zod";
import { ENGAGEMENT_OUTCOMES, FAMILY_TOLD_METHODS } from "../../db/schema";
import { datePartFields, dateParts, isoFromParts } from "../lib/dates";
import { optionalText, requiredText } from "../lib/validation";
import { LETTER_PLACEHOLDERS, unknownPlaceholders } from "../lib/family-letters";
import { DECISION_OUTCOMES } from "../../machines/case-journey/case-journey.machine";

/**
 * What the family was told: how, when (today or before, not before the
 * decision) and by whom, with what they said.
 */
export function familyToldSchema(today: string, decidedOn: string) {
  return z
    .object({
      // Left empty, the method is asked for beside the date's message rather than instead of it.
      method: z.preprocess(
        (m) => (m === "" ? undefined : m),
        z.enum(FAMILY_TOLD_METHODS, { error: "Select how the family was told" }).optional(),
      ),
      ...datePartFields("told"),
      toldBy: requiredText("Enter who told the family, with their role", 200),
      response: optionalText(2000, "What the family said"),
    })
    .superRefine((v, ctx) => {
      if (!v.method) ctx.addIssue({ code: "custom", path: ["method"], message: "Select how the family was told" });
      dateParts("told", "the date the family was told", today, { notFuture: true })(v, ctx);
      const iso = isoFromParts(v, "told");
      if (iso && iso < decidedOn) {
        ctx.addIssue({ code: "custom", path: ["toldDay"], message: "The date the family was told must be on or after the decision" });
      }
    })
    .transform((v) => ({ method: v.method!, toldOn: isoFromParts(v, "told")!, toldBy: v.toldBy, response: v.response ?? null }));
}

/** A letter to the family as the writer leaves it for review. */
export const familyLetterSchema = z.object({ body: requiredText("Enter the letter", 8000) });

/** An administrator's wording for one outcome's letter: only the words a letter can fill may appear in braces. */
export const letterTemplateSchema = z
  .object({
    outcome: z.enum(DECISION_OUTCOMES, { error: "Choose the outcome whose letter this is" }),
    body: requiredText("Enter the letter's wording", 8000),
  })
  .superRefine((v, ctx) => {
    const unknown = unknownPlaceholders(v.body);
    if (unknown.length) {
      const allowed = Object.keys(LETTER_PLACEHOLDERS).map((w) => `{${w}}`);
      ctx.addIssue({
        code: "custom",
        path: ["body"],
        message: `${unknown.map((w) => `{${w}}`).join(", ")} cannot be filled in: use only ${allowed.join(", ")}`,
      });
    }
  });

/**
 * The step down's review: how the family engaged, the date of the review
 * (today or before, not before the decision) and why.
 */
export function engagementSchema(today: string, decidedOn: string) {
  return z
    .object({
      outcome: z.preprocess(
        (m) => (m === "" ? undefined : m),
        z.enum(ENGAGEMENT_OUTCOMES, { error: "Select how the family engaged" }).optional(),
      ),
      ...datePartFields("reviewed"),
      reason: requiredText("Enter what the review found", 2000),
    })
    .superRefine((v, ctx) => {
      if (!v.outcome) ctx.addIssue({ code: "custom", path: ["outcome"], message: "Select how the family engaged" });
      dateParts("reviewed", "the date of the review", today, { notFuture: true })(v, ctx);
      const iso = isoFromParts(v, "reviewed");
      if (iso && iso < decidedOn) {
        ctx.addIssue({ code: "custom", path: ["reviewedDay"], message: "The date of the review must be on or after the decision" });
      }
    })
    .transform((v) => ({ outcome: v.outcome!, reviewedOn: isoFromParts(v, "reviewed")!, reason: v.reason }));
}
