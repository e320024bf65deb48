import type { FormValues } from "./validation";

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

/**
 * What the requester wrote, read-only, under the questions they answered.
 * Stored answers are text, so nothing here trusts their shape.
 */
export function requestAnswerRows(kind: "step_up" | "step_down", answers: Record<string, unknown>): Array<{ key: string; value: string }> {
  const row = (key: keyof typeof REQUEST_QUESTIONS, value: string | null, fallback = "Not given") => ({
    key: REQUEST_QUESTIONS[key],
    value: value ?? fallback,
  });
  if (kind === "step_up") {
    return [
      row("currentService", SERVICES[text(answers, "currentService") ?? ""] ?? null),
      row("leadPractitioner", text(answers, "leadPractitioner")),
      row("concerns", text(answers, "concerns")),
      row("triedSoFar", text(answers, "triedSoFar")),
      row("familyView", text(answers, "familyView")),
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
  ];
}
