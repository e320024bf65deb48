import type { FormValues } from "./validation";
import { CURRENT_PLANS, DISABILITY_CODES, ETHNICITY_CODES, SEN_PROVISION_CODES } from "../../domain/census-codes";

/** A draft's stored answers as form values (strings and string arrays only). */
export function answersAsValues(answers: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const [key, value] of Object.entries(answers)) {
    if (typeof value === "string") values[key] = value;
    else if (Array.isArray(value)) values[key] = value.map(String);
  }
  return values;
}

/** The question pages' own wording, so a request reads the same wherever it is shown. */
export const REQUEST_QUESTIONS = {
  currentService: "Which service supports the family now?",
  leadPractitioner: "Lead practitioner (name and agency)",
  concerns: "What are the concerns?",
  triedSoFar: "What has early help tried?",
  familyView: "What is the family's view?",
  reason: "Why step down, and what has changed?",
  outcomes: "Outcomes and goals for the family",
  outstandingTasks: "Outstanding tasks (optional)",
  proposedService: "Proposed service",
  proposedLead: "Proposed lead practitioner or service",
  consent: "Has the family given consent?",
  consentDate: "Date consent was given",
  consentHow: "How was consent given?",
  familyAware: "Does the family know about this request?",
  familyAgrees: "Does the family agree to it?",
  childsWords: "What does the child say? (in their own words)",
  school: "School or nursery",
  gp: "GP practice",
  ethnicity: "Ethnicity",
  disabilities: "Disability",
  sen: "Special educational needs",
  currentPlan: "Current plan",
  allocatedSocialWorker: "Allocated social worker",
} as const;

const SERVICES: Record<string, string> = {
  early_help: "Early help",
  volunteer_support: "The Volunteer Family Support Service",
  universal: "Universal services (school, GP, health visitor)",
};

function text(answers: Record<string, unknown>, key: string) {
  const value = answers[key];
  return typeof value === "string" && value.trim() ? value.trim() : null;
}

const YES_NO: Record<string, string> = { yes: "Yes", no: "No", not_asked: "Not asked" };

/**
 * About the child and family, as given: whether the family knows (and, for a
 * step up, agrees), the child's words, school, GP, the census's ethnicity,
 * disability and special educational needs, and for a step down the current
 * plan and allocated social worker. With `complete`, what was not given is
 * said; without it, left out.
 */
export function aboutTheChildRows(
  kind: "step_up" | "step_down",
  answers: Record<string, unknown>,
  options: { complete?: boolean } = {},
): Array<{ key: string; value: string }> {
  const coded = (codes: Record<string, string>, key: string) => codes[text(answers, key) ?? ""] ?? null;
  const raw = answers["disabilities[]"];
  const disabilities = (Array.isArray(raw) ? raw : typeof raw === "string" ? [raw] : [])
    .map((c) => (DISABILITY_CODES as Record<string, string>)[String(c)])
    .filter(Boolean);
  const rows: Array<[keyof typeof REQUEST_QUESTIONS, string | null]> = [
    ["familyAware", coded(YES_NO, "familyAware")],
    ...(kind === "step_up" ? [["familyAgrees", coded(YES_NO, "familyAgrees")] as [keyof typeof REQUEST_QUESTIONS, string | null]] : []),
    ["childsWords", text(answers, "childsWords")],
    ["school", text(answers, "school")],
    ["gp", text(answers, "gp")],
    ["ethnicity", coded(ETHNICITY_CODES, "ethnicity")],
    ["disabilities", disabilities.length ? disabilities.join(", ") : null],
    ["sen", coded(SEN_PROVISION_CODES, "sen")],
    ...(kind === "step_down"
      ? ([
          ["currentPlan", coded(CURRENT_PLANS, "currentPlan")],
          ["allocatedSocialWorker", text(answers, "allocatedSocialWorker")],
        ] as Array<[keyof typeof REQUEST_QUESTIONS, string | null]>)
      : []),
  ];
  return rows
    .filter(([, value]) => value !== null || options.complete)
    .map(([key, value]) => ({ key: REQUEST_QUESTIONS[key], value: value ?? "Not given" }));
}

/**
 * What the requester wrote, read-only, under the questions they answered.
 * Stored answers are text, so nothing here trusts their shape. With
 * `complete`, the questions about the child left unanswered are listed too.
 */
export function requestAnswerRows(
  kind: "step_up" | "step_down",
  answers: Record<string, unknown>,
  options: { complete?: boolean } = {},
): Array<{ key: string; value: string }> {
  const row = (key: keyof typeof REQUEST_QUESTIONS, value: string | null, fallback = "Not given") => ({
    key: REQUEST_QUESTIONS[key],
    value: value ?? fallback,
  });
  const about = aboutTheChildRows(kind, answers, options);
  if (kind === "step_up") {
    return [
      row("currentService", SERVICES[text(answers, "currentService") ?? ""] ?? null),
      row("leadPractitioner", text(answers, "leadPractitioner")),
      row("concerns", text(answers, "concerns")),
      row("triedSoFar", text(answers, "triedSoFar")),
      row("familyView", text(answers, "familyView")),
      ...about,
    ];
  }
  const consent = text(answers, "consent");
  const [day, month, year] = ["consentDay", "consentMonth", "consentYear"].map((k) => text(answers, k));
  return [
    row("reason", text(answers, "reason")),
    row("outcomes", text(answers, "outcomes")),
    row("outstandingTasks", text(answers, "outstandingTasks"), "None"),
    row("proposedService", SERVICES[text(answers, "proposedService") ?? ""] ?? null),
    row("proposedLead", text(answers, "proposedLead")),
    row("consent", consent === "given" ? "Yes" : consent === "not_given" ? "No" : null),
    ...(consent === "given"
      ? [row("consentDate", day && month && year ? `${day}/${month}/${year}` : null), row("consentHow", text(answers, "consentHow"))]
      : []),
    ...about,
  ];
}
