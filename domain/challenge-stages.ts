import { actsForArea } from "./policy";
import type { Role } from "./organisation";

/*
 * Who answers a professional challenge at each stage: one rule, used for the
 * list of open challenges, for who may act on one, and for who is told.
 * The two practitioners (whoever raised it and whoever it is raised with)
 * answer at every stage; from stage 2 the managers of the area whose turn it
 * is answer too: team managers, then service managers, then heads of service,
 * who also record what the safeguarding partnership decides at stage 5.
 */
export const CHALLENGE_STAGE_MANAGER: Record<number, Role | null> = {
  1: null,
  2: "team_manager",
  3: "service_manager",
  4: "head_of_service",
  5: "head_of_service",
};

/** The manager role whose turn it is at a stage (none at stage 1: practitioner to practitioner). */
export function stageManagerRole(stage: number): Role | null {
  return CHALLENGE_STAGE_MANAGER[stage] ?? null;
}

/** The stages at which a manager role answers. */
export function stagesAnsweredBy(role: Role): number[] {
  return Object.entries(CHALLENGE_STAGE_MANAGER)
    .filter(([, r]) => r === role)
    .map(([stage]) => Number(stage));
}

export function answersChallenge(
  user: { id: number; role: Role; areaId: number | null; allAreas: boolean },
  c: { stage: number; area_id: number; raised_by_user_id: number; respondent_user_id: number | null },
): boolean {
  if (user.id === c.raised_by_user_id || user.id === c.respondent_user_id) return true;
  return stageManagerRole(c.stage) === user.role && actsForArea(user, c.area_id);
}
