import type { Deps, CurrentUser } from "../../app/lib/context";
import type { Actor } from "../../app/lib/context";
import { answerRiskQuestion, saveDraftPage, startDraft, submitRequest } from "../../app/services/requests.server";
import { actorFor } from "./factories";

export function childAnswers(areaId: number, over: Record<string, string> = {}) {
  return {
    firstName: "Jamie",
    lastName: "Example",
    dobDay: "14",
    dobMonth: "3",
    dobYear: "2015",
    address: "1 Test Street, Crewe",
    areaId: String(areaId),
    ...over,
  };
}

export const stepUpAnswers = (over: Record<string, string | string[]> = {}) => ({
  currentService: "early_help",
  leadPractitioner: "Pat Lead, Valley Primary School",
  concerns: "Escalating neglect despite the plan",
  triedSoFar: "TAF meetings, parenting programme",
  familyView: "Mother agrees more help is needed",
  ...over,
});

export const stepDownAnswers = (over: Record<string, string | string[]> = {}) => ({
  reason: "Child protection plan ended; risks reduced",
  outcomes: "School attendance above 90%\nRoutines at bedtime",
  outstandingTasks: "Health assessment",
  proposedService: "early_help",
  proposedLead: "Early Help Team North",
  consent: "given",
  consentDay: "20",
  consentMonth: "11",
  consentYear: "2026",
  consentHow: "In person at a home visit",
  ...over,
});

/** A draft whose immediate-risk question is answered "no", as the first question page leaves it. */
export async function startAnsweredDraft(deps: Deps, actor: Actor, kind: "step_up" | "step_down") {
  const id = await startDraft(deps, actor, kind);
  await answerRiskQuestion(deps, actor, id, "no");
  return id;
}

/** Drafts, fills and submits a request the way the question pages do. */
export async function submitCompleteRequest(
  deps: Deps,
  user: CurrentUser,
  kind: "step_up" | "step_down",
  areaId: number,
  over: { child?: Record<string, string>; details?: Record<string, string | string[]> } = {},
) {
  const actor = actorFor(user);
  const id = await startAnsweredDraft(deps, actor, kind);
  const childErrors = await saveDraftPage(deps, actor, id, "child", childAnswers(areaId, over.child));
  if (childErrors) throw new Error(`child page: ${JSON.stringify(childErrors)}`);
  const details = kind === "step_up" ? stepUpAnswers(over.details) : stepDownAnswers(over.details);
  const detailErrors = await saveDraftPage(deps, actor, id, "details", details);
  if (detailErrors) throw new Error(`details page: ${JSON.stringify(detailErrors)}`);
  const result = await submitRequest(deps, actor, id);
  return { requestId: id, ...result };
}
