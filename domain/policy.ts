import { MANAGER_ROLES, type Role } from "./organisation";

/**
 * Who may do what: the one place the app's role rules live. Services enforce
 * it, routes ask it for the page they serve, queries scope by it, and the
 * navigation is drawn from it, so a page a role may not use is never offered
 * to that role.
 */
export const POLICY = {
  /** Panels, minutes, actions, challenges, calendars: everyone who works with families. */
  takePart: ["professional", "team_manager", "service_manager", "head_of_service", "partner"],
  /** Send a case to a panel. */
  submitRequests: ["professional", "team_manager", "service_manager", "head_of_service", "partner"],
  /** Chair and run panels, see the waiting queue and the challenge register, decide on cases. */
  managePanels: MANAGER_ROLES,
  /** Call an extraordinary panel (and settle a team manager's request for one). */
  callExtraordinaryPanels: ["service_manager", "head_of_service"],
  /** Correct a decision after its minutes are published. */
  correctPublishedDecisions: ["service_manager", "head_of_service"],
  /** Set each area's panel schedule (administrators every area's, managers the areas they act for). */
  editSchedules: ["admin", "service_manager", "head_of_service"],
  /** People, agencies, areas, sign-in security and the kept mailbox. */
  administer: ["admin"],
  /** The insight figures: managers (a team manager for their own area) and administrators. */
  readInsight: ["team_manager", "service_manager", "head_of_service", "admin"],
  /** The census return names cases by reference: the managers who decide on them, not administrators. */
  exportCensusReturn: MANAGER_ROLES,
  /** Read and export the audit trail (and nothing else). */
  readAuditTrail: ["auditor"],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof POLICY;

export function may(user: { role: Role }, capability: Capability): boolean {
  return (POLICY[capability] as readonly Role[]).includes(user.role);
}

/**
 * Whether a person acts for an area: their own, or every area when an
 * administrator made them service-wide. Someone with neither acts for none.
 */
export function actsForArea(user: { areaId: number | null; allAreas: boolean }, areaId: number): boolean {
  return user.allAreas || user.areaId === areaId;
}

/** A manager may act in an area they act for. */
export function mayInArea(user: { role: Role; areaId: number | null; allAreas: boolean }, capability: Capability, areaId: number): boolean {
  return may(user, capability) && actsForArea(user, areaId);
}

/** An area's panel schedule is set by administrators, or by a manager who acts for that area. */
export function mayEditSchedule(user: { role: Role; areaId: number | null; allAreas: boolean }, areaId: number): boolean {
  return may(user, "editSchedules") && (may(user, "administer") || actsForArea(user, areaId));
}

/**
 * A person's part in one case: everything the case-visibility rule looks at.
 * `db/queries/case-visibility.ts` computes the same facts in SQL.
 */
export interface CaseRelation {
  /** The area the case belongs to. */
  areaId: number;
  /** They created the case or sent a request for it. */
  requested: boolean;
  /** They are invited to discuss it at a panel (its item, or the whole panel as chair or core member) while that stands. */
  invited: boolean;
  /** They own an action on it. */
  ownsAction: boolean;
  /** They are named in its standing decision as lead practitioner or as holding the risk, or named lead practitioner or supervisor by the receiving service after it. */
  named: boolean;
  /** It was handed to the front door and they are in the front-door team. */
  frontDoor: boolean;
}

/**
 * Who may see a child's case. A manager sees the cases of the areas they act
 * for. Anyone who works with families sees a case because of their own part in
 * *that* case; never because their agency is involved somewhere, nor because
 * of who made their account. Administrators and auditors see no case.
 */
export function maySeeCase(viewer: { role: Role; areaId: number | null; allAreas: boolean }, relation: CaseRelation): boolean {
  if (!may(viewer, "takePart")) return false;
  if (may(viewer, "managePanels") && actsForArea(viewer, relation.areaId)) return true;
  return relation.requested || relation.invited || relation.ownsAction || relation.named || relation.frontDoor;
}
