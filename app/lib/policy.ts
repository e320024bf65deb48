import type { Role } from "./organisation";

/**
 * Who may do what: the one place the app's role rules live. Services enforce
 * it, routes ask it for the page they serve, and the navigation is drawn from
 * it, so a page a role may not use is never offered to that role.
 */
export const POLICY = {
  /** Panels, minutes, actions, challenges, calendars: everyone who works with families. */
  takePart: ["professional", "team_manager", "service_manager", "head_of_service", "partner"],
  /** Send a case to a panel. */
  submitRequests: ["professional", "team_manager", "service_manager", "head_of_service", "partner"],
  /** Chair and run panels, see the waiting queue and the challenge register, decide on cases. */
  managePanels: ["team_manager", "service_manager", "head_of_service"],
  /** Call an extraordinary panel (and settle a team manager's request for one). */
  callExtraordinaryPanels: ["service_manager", "head_of_service"],
  /** Correct a decision after its minutes are published. */
  correctPublishedDecisions: ["service_manager", "head_of_service"],
  /** Set each area's panel schedule. */
  editSchedules: ["admin", "service_manager", "head_of_service"],
  /** People, agencies, areas and the kept mailbox. */
  administer: ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof POLICY;

export function may(user: { role: Role }, capability: Capability): boolean {
  return (POLICY[capability] as readonly Role[]).includes(user.role);
}

/** A manager acts for their own area; one with no area acts for all of them. */
export function mayInArea(user: { role: Role; areaId: number | null }, capability: Capability, areaId: number): boolean {
  return may(user, capability) && (user.areaId === null || user.areaId === areaId);
}
