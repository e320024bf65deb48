import { z } from "zod";
import { DECISION_OUTCOMES } from "../../machines/case-journey/case-journey.machine";
import { requiredText, MAX_ID } from "../lib/validation";
import { chosenPersonFields, IGNORE_ISSUES, readChosenPerson } from "./chosen-person";

const version = z.coerce.number({ error: "The form is out of date" }).int().positive().max(MAX_ID);

export const decisionSchema = z
  .object({
    requestId: z.coerce.number().int().positive().max(MAX_ID),
    version,
    outcome: z.enum(DECISION_OUTCOMES, { error: "Select the panel's decision" }),
    reasons: requiredText("Enter the reasons for the decision", 5000),
    ...chosenPersonFields("riskHolder"),
  })
  .superRefine((v, ctx) => void readChosenPerson(v, "riskHolder", ctx, { required: true, missing: "Choose who holds the risk" }))
  .transform((v) => ({ ...v, riskHolderChoice: readChosenPerson(v, "riskHolder", IGNORE_ISSUES, { required: false, missing: "" })! }));

export const caseActionSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("withdraw"), version, reason: requiredText("Enter why the request is withdrawn", 2000) }),
  z.object({ action: z.literal("refer"), version, reason: requiredText("Enter why the case goes to the front door", 2000) }),
  z.object({ action: z.literal("close"), version, reason: requiredText("Enter the reason for closing the case", 2000) }),
  z.object({
    action: z.literal("reopen"),
    version,
    to: z.enum(["early_help", "social_care", "volunteer_support"], { error: "Select where the case reopens" }),
    reason: requiredText("Enter why the case is reopened", 2000),
  }),
  z.object({
    action: z.literal("front_door_outcome"),
    version,
    to: z.enum(["social_care", "early_help"], { error: "Select what the front door decided" }),
    reason: requiredText("Enter the front door's decision", 2000),
  }),
]);
export type CaseAction = z.output<typeof caseActionSchema>;
