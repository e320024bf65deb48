/** The organisation's vocabulary: who people are and what kinds of agency there are. Pure: imports nothing. */

export const ROLES = ["professional", "team_manager", "service_manager", "head_of_service", "partner", "admin", "auditor"] as const;
export type Role = (typeof ROLES)[number];

export const AGENCY_KINDS = [
  "childrens_social_care",
  "early_help",
  "health",
  "education",
  "police",
  "volunteer_family_support",
  "other",
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

/** The roles that manage panels and see their area's cases. */
export const MANAGER_ROLES = ["team_manager", "service_manager", "head_of_service"] as const satisfies readonly Role[];

export function isManager(role: Role): boolean {
  return (MANAGER_ROLES as readonly Role[]).includes(role);
}
