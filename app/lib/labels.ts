import type { AgencyKind, Role } from "../../domain/organisation";
import type { EngagementOutcome, FamilyToldMethod } from "../../db/schema";
import type { DecisionOutcome } from "../../machines/case-journey/case-journey.machine";
import type { Weekday } from "./panel-schedule";
import type { CHALLENGE_CATEGORIES, RESOLUTIONS } from "../../machines/challenge/challenge.machine";

type ChallengeCategory = (typeof CHALLENGE_CATEGORIES)[number];
type Resolution = (typeof RESOLUTIONS)[number];

/*
 * The words pages show for the product's codes. Plain constants with no
 * imports that run, so a page's browser code can use them without pulling in
 * the validation library or the date rules behind the forms.
 */

export const ROLE_LABELS: Record<Role, string> = {
  professional: "Professional (submits cases)",
  team_manager: "Team manager (chairs panels)",
  service_manager: "Service manager",
  head_of_service: "Head of service (answers stage 4 challenges)",
  partner: "Partner",
  admin: "Administrator",
  auditor: "Auditor (reads the audit trail)",
};

export const AGENCY_KIND_LABELS: Record<AgencyKind, string> = {
  childrens_social_care: "Children's social care",
  early_help: "Early help",
  health: "Health",
  education: "Education",
  police: "Police",
  volunteer_family_support: "Volunteer family support",
  other: "Other",
};

export const DECISION_LABELS: Record<DecisionOutcome, string> = {
  step_up_agreed: "Step up agreed",
  step_down_agreed_early_help: "Step down agreed to early help",
  step_down_agreed_volunteer_support: "Step down agreed to volunteer support",
  not_agreed: "Not agreed: stays where it is",
  deferred: "Deferred to the next panel (more information needed)",
  referred_to_front_door: "Referred to the front door",
  signposted: "Signposted elsewhere",
};

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  MO: "Monday",
  TU: "Tuesday",
  WE: "Wednesday",
  TH: "Thursday",
  FR: "Friday",
};

export const STEP_DOWN_SERVICES = {
  early_help: "An early help team",
  volunteer_support: "The Volunteer Family Support Service",
  universal: "Universal services (school, GP, health visitor)",
} as const;

export const CATEGORY_LABELS: Record<ChallengeCategory, string> = {
  threshold: "Threshold: the level of need or risk",
  risk: "Risk: who holds it or how it is managed",
  information: "Information: something missing or not considered",
  capacity: "Capacity or resources",
  other: "Other",
};

export const RESOLUTION_LABELS: Record<Resolution, string> = {
  decision_upheld: "Decision upheld",
  decision_changed: "Decision changed",
  agreed_alternative: "Agreed alternative",
};

export const SERVICE_LABELS = {
  early_help: "Early help",
  social_care: "Children's social care",
  volunteer_support: "Volunteer family support",
} as const;

/** The outcomes a correction moves between: each settles the request. Deferral and the front door are not corrected. */
export const CORRECTABLE = [
  "step_up_agreed",
  "step_down_agreed_early_help",
  "step_down_agreed_volunteer_support",
  "not_agreed",
  "signposted",
] as const;

export const ATTENDANCE_LABELS = {
  in_person: "Present in person",
  online: "Present online",
  apologies: "Apologies",
  absent: "Absent",
} as const;

/** How a family was told of a decision. */
export const FAMILY_TOLD_LABELS: Record<FamilyToldMethod, string> = {
  visit: "A home visit",
  phone: "A phone call",
  video: "A video call",
  meeting: "A meeting (for example at school or a family hub)",
  letter: "A letter",
};

/** How a family engaged after a step down, as the review records it. */
export const ENGAGEMENT_LABELS: Record<EngagementOutcome, string> = {
  engaged: "Engaged with the support",
  declined: "Declined the support",
  not_contacted: "Could not be contacted",
  stepped_back_up: "Stepped back up to social care",
};
