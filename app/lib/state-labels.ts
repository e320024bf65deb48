import type { CaseState } from "../../machines/case-journey/case-journey.machine";
import type { ChallengeState, Stage } from "../../machines/challenge/challenge.machine";
import type { PanelState } from "../../machines/panel/panel.machine";

/** How each machine's states read to a person: labels live with the views, not in the machines. */

export const CASE_STATE_LABELS: Record<CaseState, string> = {
  early_help: "Early help",
  step_up_requested: "Step up requested",
  social_care: "Children's social care",
  step_down_requested: "Step down requested",
  volunteer_support: "Volunteer family support",
  front_door: "Referred to the front door",
  closed: "Closed",
};

export const PANEL_STATE_LABELS: Record<PanelState, string> = {
  scheduled: "Scheduled",
  agenda_open: "Agenda open",
  agenda_closed: "Agenda closed",
  in_session: "In session",
  concluded: "Concluded",
  minutes_published: "Minutes published",
  cancelled: "Cancelled",
};

export const STAGE_LABELS: Record<Stage, string> = {
  stage1: "Stage 1: practitioner to practitioner",
  stage2: "Stage 2: team managers",
  stage3: "Stage 3: service managers",
  stage4: "Stage 4: heads of service",
  stage5: "Stage 5: safeguarding partnership",
};

export const CHALLENGE_STATE_LABELS: Record<ChallengeState, string> = {
  raised: "Raised",
  ...STAGE_LABELS,
  resolved: "Resolved",
  withdrawn: "Withdrawn",
  front_door: "Referred to the front door",
};

/** One entry of a challenge's history in words: raised, a response, a deadline passed, or the stage it moved between. */
export function challengeEventInWords(e: { event: string; from_status: string | null; to_status: string }): string {
  if (e.event === "RESPONSE") return "Response";
  if (e.event === "RAISED" || e.event === "START") return "Raised";
  if (e.event === "DEADLINE_PASSED") return "Deadline passed: overdue";
  const label = (s: string | null) => (s ? (CHALLENGE_STATE_LABELS[s as ChallengeState] ?? s) : "");
  return `${label(e.from_status)} → ${label(e.to_status)}`;
}

/** An audit trail action as a sentence fragment: "case.family_told_viewed" reads "Case: family told viewed". */
export function auditActionInWords(action: string): string {
  const [record, ...what] = action.split(".");
  const words = what.join(" ").replace(/_/g, " ");
  return `${record.charAt(0).toUpperCase()}${record.slice(1).replace(/_/g, " ")}${words ? `: ${words}` : ""}`;
}

/** The panel states in which someone invited may declare an interest: before the meeting or at it. */
export const DECLARING_STATES: readonly PanelState[] = ["scheduled", "agenda_open", "agenda_closed", "in_session"];
