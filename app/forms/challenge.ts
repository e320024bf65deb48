import { z } from "zod";
import { CHALLENGE_CATEGORIES, RESOLUTIONS } from "../../machines/challenge/challenge.machine";
import { requiredText, MAX_ID } from "../lib/validation";

const version = z.coerce.number({ error: "The form is out of date" }).int().positive().max(MAX_ID);

export const raiseChallengeSchema = z.object({
  decisionId: z.coerce.number({ error: "Choose the decision you disagree with" }).int().positive("Choose the decision you disagree with"),
  disagreement: requiredText("Enter who disagrees and with what", 1000),
  category: z.enum(CHALLENGE_CATEGORIES, { error: "Select what the disagreement is about" }),
  reason: requiredText("Enter why you disagree", 5000),
  riskHolder: requiredText("Enter who holds the risk while this is resolved", 200, "Who holds the risk"),
});

export const challengeReasonSchema = z.object({ version, reason: requiredText("Enter the reason", 2000) });
export const challengeResponseSchema = z.object({ text: requiredText("Enter your response", 5000) });

export const challengeResolveSchema = z
  .object({
    version,
    resolution: z.enum(RESOLUTIONS, { error: "Select how it was resolved" }),
    reason: requiredText("Enter the reason", 2000),
    changedTo: z
      .enum(["early_help", "social_care", "volunteer_support"])
      .optional()
      .or(z.literal("").transform(() => undefined)),
  })
  .superRefine((v, ctx) => {
    if (v.resolution === "decision_changed" && !v.changedTo) {
      ctx.addIssue({ code: "custom", path: ["changedTo"], message: "Select where the case goes under the changed decision" });
    }
  });

const optionalId = z
  .string()
  .optional()
  .transform((v) => (v ? Number(v) : undefined))
  .pipe(z.number().int().positive().max(MAX_ID).optional());

/** The register's filters, from the query string. */
export const registerFilterSchema = z.object({
  area: optionalId,
  agency: optionalId,
  status: z
    .enum(["open", "raised", "stage1", "stage2", "stage3", "stage4", "stage5", "resolved", "withdrawn", "front_door"])
    .optional()
    .or(z.literal("").transform(() => undefined)),
  category: z
    .enum(CHALLENGE_CATEGORIES)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  overdue: z
    .enum(["yes", "no"])
    .optional()
    .or(z.literal("").transform(() => undefined)),
  outcome: z
    .enum(RESOLUTIONS)
    .optional()
    .or(z.literal("").transform(() => undefined)),
});
