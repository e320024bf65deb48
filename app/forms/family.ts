import { z } from "zod";
import { FAMILY_TOLD_METHODS } from "../../db/schema";
import { datePartFields, dateParts, isoFromParts } from "../lib/dates";
import { optionalText, requiredText } from "../lib/validation";

export const FAMILY_TOLD_LABELS: Record<(typeof FAMILY_TOLD_METHODS)[number], string> = {
  visit: "A home visit",
  phone: "A phone call",
  video: "A video call",
  meeting: "A meeting (for example at school or a family hub)",
  letter: "A letter",
};

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
