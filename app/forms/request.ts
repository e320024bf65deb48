import { z } from "zod";
import { dateParts, datePartFields } from "../lib/dates";
import { MAX_ID, optionalText, requiredText } from "../lib/validation";
import { isValidNhsNumber, nhsDigits } from "../../domain/nhs-number";
import { CURRENT_PLANS, DISABILITY_CODES, ETHNICITY_CODES, SEN_PROVISION_CODES } from "../../domain/census-codes";

/** One zod schema per question page; shared by the page and the service. Dates need "today" from the clock. */

export const requestKindSchema = z.object({
  kind: z.enum(["step_up", "step_down"], { error: "Select whether you are asking for a step up or a step down" }),
});

export const immediateRiskSchema = z.object({
  immediateRisk: z.enum(["yes", "no"], { error: "Select yes if the child is at immediate risk of harm" }),
});

/**
 * What the front door needs about a child at immediate risk: who the child is
 * and where, the concern, and how to reach the person reporting it.
 */
export function frontDoorSchema(today: string) {
  return z
    .object({
      firstName: requiredText("Enter the child's first name", 100),
      lastName: requiredText("Enter the child's last name", 100),
      ...datePartFields("dob"),
      address: requiredText("Enter the child's address, or where they are now", 500),
      areaId: z.coerce.number({ error: "Select the area" }).int().positive("Select the area").max(MAX_ID, "Select the area"),
      concern: requiredText("Describe the immediate risk to the child", 5000),
      contactPhone: z
        .string({ error: "Enter a phone number the front door can reach you on" })
        .trim()
        .regex(/^\+?[0-9 ()-]{6,30}$/, "Enter a phone number the front door can reach you on, like 01632 960 001"),
    })
    .superRefine(dateParts("dob", "the child's date of birth", today, { notFuture: true }));
}
export type FrontDoorAnswers = z.output<ReturnType<typeof frontDoorSchema>>;

export const REFERENCE_PATTERN = /^TH-\d{4}-\d{6}$/;

/**
 * About the child. For a case already on Threshold only its reference is
 * asked: the child's recorded details and area are the case's, and a request
 * never changes them.
 */
export function childSchema(today: string) {
  return z
    .object({
      firstName: optionalText(100, "The child's first name"),
      lastName: optionalText(100, "The child's last name"),
      ...datePartFields("dob"),
      address: optionalText(500, "The child's address"),
      nhsNumber: z
        .string()
        .trim()
        .max(20, "Enter a real NHS number: 10 digits, like 943 476 5919")
        .optional()
        .refine((v) => !v || isValidNhsNumber(v), "Enter a real NHS number: 10 digits, like 943 476 5919")
        .transform((v) => (v ? nhsDigits(v)! : undefined)),
      caseSystemId: optionalText(50, "The case system ID"),
      siblings: optionalText(1000, "Brothers and sisters"),
      areaId: z
        .union([
          z.literal("").transform(() => undefined),
          z.coerce.number({ error: "Select the area" }).int().positive("Select the area").max(MAX_ID, "Select the area"),
        ])
        .optional(),
      existingReference: z
        .string()
        .trim()
        .toUpperCase()
        .optional()
        .refine((v) => !v || REFERENCE_PATTERN.test(v), "Enter a case reference like TH-2026-000123")
        .transform((v) => v || undefined),
    })
    .superRefine((values, ctx) => {
      if (values.existingReference) return;
      if (!values.firstName) ctx.addIssue({ code: "custom", path: ["firstName"], message: "Enter the child's first name" });
      if (!values.lastName) ctx.addIssue({ code: "custom", path: ["lastName"], message: "Enter the child's last name" });
      dateParts("dob", "date of birth", today, { notFuture: true })(values, ctx);
      if (!values.areaId) ctx.addIssue({ code: "custom", path: ["areaId"], message: "Select the area" });
    });
}
export type ChildAnswers = z.output<ReturnType<typeof childSchema>>;

const agencyIds = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean).map(Number))
  .refine((ids) => ids.every((id) => Number.isSafeInteger(id) && id > 0 && id <= MAX_ID), "Select agencies from the list");

/** One of a list's codes, or nothing chosen. */
function optionalCode<C extends Record<string, string>>(codes: C, message: string) {
  return z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || Object.hasOwn(codes, v), message)
    .transform((v) => (v ? (v as keyof C & string) : undefined));
}

/**
 * What practitioners expect to give about the child and family, on either
 * kind of request: whether the family knows, the child's own words, school,
 * GP, and the census's codes for ethnicity, disability and special
 * educational needs. None is required: the panel sees what was not given.
 */
const aboutTheChild = {
  familyAware: optionalCode({ yes: "Yes", no: "No" }, "Select whether the family knows about this request"),
  childsWords: optionalText(5000, "The child's own words"),
  school: optionalText(200, "The school or nursery"),
  gp: optionalText(200, "The GP practice"),
  ethnicity: optionalCode(ETHNICITY_CODES, "Select the child's ethnicity from the list"),
  "disabilities[]": z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean))
    .refine((codes) => codes.every((c) => Object.hasOwn(DISABILITY_CODES, c)), "Select disabilities from the list")
    .refine((codes) => !(codes.includes("NONE") && codes.length > 1), "Select either no disability or the child's disabilities, not both"),
  sen: optionalCode(SEN_PROVISION_CODES, "Select the child's special educational needs provision"),
};

export const stepUpSchema = z.object({
  currentService: z.enum(["early_help", "volunteer_support"], { error: "Select the service supporting the family now" }),
  leadPractitioner: requiredText("Enter the lead practitioner's name and agency", 200),
  concerns: requiredText("Describe the concerns", 5000),
  triedSoFar: requiredText("Describe what early help has tried", 5000),
  familyView: requiredText("Enter the family's view", 5000),
  familyAgrees: optionalCode({ yes: "Yes", no: "No", not_asked: "Not asked" }, "Select whether the family agrees to the request"),
  ...aboutTheChild,
  "agencies[]": agencyIds,
});
export type StepUpAnswers = z.output<typeof stepUpSchema>;

export function stepDownSchema(today: string) {
  return z
    .object({
      reason: requiredText("Enter the reason for stepping down and what has changed", 5000),
      outcomes: requiredText("Enter at least one outcome or goal for the family", 5000, "The outcomes or goals"),
      outstandingTasks: optionalText(5000, "Outstanding tasks"),
      proposedService: z.enum(["early_help", "volunteer_support", "universal"], { error: "Select the proposed service" }),
      proposedLead: requiredText("Enter the proposed lead practitioner or service", 200),
      consent: z.enum(["given", "not_given"], { error: "Select whether the family has given consent" }),
      ...datePartFields("consent"),
      consentHow: optionalText(500, "How consent was given"),
      currentPlan: optionalCode(CURRENT_PLANS, "Select the child's current plan"),
      allocatedSocialWorker: optionalText(200, "The allocated social worker"),
      ...aboutTheChild,
      "agencies[]": agencyIds,
    })
    .superRefine((values, ctx) => {
      const needsConsent = values.proposedService === "early_help" || values.proposedService === "volunteer_support";
      if (needsConsent && values.consent === "not_given") {
        ctx.addIssue({
          code: "custom",
          path: ["consent"],
          message: "Early help is voluntary: the family must consent before a step down to early help or volunteer support",
        });
      }
      if (values.consent === "given") {
        dateParts("consent", "the date consent was given", today, { notFuture: true })(values, ctx);
        if (!values.consentHow) {
          ctx.addIssue({ code: "custom", path: ["consentHow"], message: "Enter how consent was given" });
        }
      }
    });
}
export type StepDownAnswers = z.output<ReturnType<typeof stepDownSchema>>;

/** Outcomes are written one per line. */
export function outcomeList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^[-*•]\s*/, "").trim())
    .filter(Boolean);
}

/** The front-door team marks a referral received. */
export const receiveReferralSchema = z.object({ requestId: z.coerce.number().int().positive().max(MAX_ID) });
