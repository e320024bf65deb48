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
