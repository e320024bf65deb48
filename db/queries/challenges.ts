import { stagesAnsweredBy } from "../../domain/challenge-stages";
import { inAreaScope, type AreaScope } from "./area-scope";
import { sql } from "kysely";
import type { Database } from "../connect";
import type { ChallengeStatus, ChallengesTable, Role } from "../schema";

const challengeColumns = [
  "challenges.id",
  "challenges.case_id",
  "challenges.decision_id",
  "challenges.panel_id",
  "challenges.area_id",
  "challenges.raised_by_user_id",
  "challenges.raiser_agency_id",
  "challenges.respondent_user_id",
  "challenges.disagreement",
  "challenges.category",
  "challenges.reason",
  "challenges.risk_holder",
  "challenges.status",
  "challenges.stage",
  "challenges.machine",
  "challenges.deadline_at",
  "challenges.overdue",
  "challenges.resolution",
  "challenges.changed_to",
  "challenges.version",
  "challenges.created_at",
  "challenges.updated_at",
  "challenges.closed_at",
] as const;

export function insertChallenge(
  db: Database,
  c: Pick<
    ChallengesTable,
    | "case_id"
    | "decision_id"
    | "panel_id"
    | "area_id"
    | "raised_by_user_id"
    | "raiser_agency_id"
    | "respondent_user_id"
    | "disagreement"
    | "category"
    | "reason"
    | "risk_holder"
    | "status"
  > & { machine: unknown; at: Date },
) {
  const { machine, at, ...rest } = c;
  return db
    .insertInto("challenges")
    .values({ ...rest, machine: JSON.stringify(machine), created_at: at, updated_at: at })
    .returning(["id", "version"])
    .executeTakeFirstOrThrow();
}

export function findChallenge(db: Database, id: number) {
  return db
    .selectFrom("challenges")
    .innerJoin("cases", "cases.id", "challenges.case_id")
    .innerJoin("users as raiser", "raiser.id", "challenges.raised_by_user_id")
    .innerJoin("agencies as raiser_agency", "raiser_agency.id", "challenges.raiser_agency_id")
    .leftJoin("users as respondent", "respondent.id", "challenges.respondent_user_id")
    .innerJoin("decisions", "decisions.id", "challenges.decision_id")
    .innerJoin("areas", "areas.id", "challenges.area_id")
    .select([
      ...challengeColumns,
      "cases.reference",
      "cases.status as case_status",
      "raiser.name as raiser_name",
      "raiser.email as raiser_email",
      "raiser_agency.name as raiser_agency",
      "respondent.name as respondent_name",
      "respondent.email as respondent_email",
      "decisions.outcome as decision_outcome",
      "decisions.decided_at",
      "areas.name as area_name",
    ])
    .where("challenges.id", "=", id)
    .executeTakeFirst();
}

export function lockChallenge(db: Database, id: number) {
  return db.selectFrom("challenges").select(challengeColumns).where("id", "=", id).forUpdate().executeTakeFirst();
}

export async function updateChallengeIfUnchanged(
  db: Database,
  id: number,
  expectedVersion: number,
  changes: {
    status: ChallengeStatus;
    stage: number;
    machine: unknown;
    deadlineAt: Date | null;
    overdue: boolean;
    at: Date;
    resolution?: string | null;
    changedTo?: string | null;
    closed?: boolean;
  },
) {
  const result = await db
    .updateTable("challenges")
    .set({
      status: changes.status,
      stage: changes.stage,
      machine: JSON.stringify(changes.machine),
      deadline_at: changes.deadlineAt,
      overdue: changes.overdue,
      updated_at: changes.at,
      version: sql`version + 1`,
      ...(changes.resolution !== undefined ? { resolution: changes.resolution } : {}),
      ...(changes.changedTo !== undefined ? { changed_to: changes.changedTo } : {}),
      ...(changes.closed ? { closed_at: changes.at } : {}),
    })
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function insertChallengeEvent(
  db: Database,
  e: { challengeId: number; at: Date; actorUserId: number | null; event: string; from: string | null; to: string; text?: string | null },
) {
  return db
    .insertInto("challenge_events")
    .values({
      challenge_id: e.challengeId,
      at: e.at,
      actor_user_id: e.actorUserId,
      event: e.event,
      from_status: e.from,
      to_status: e.to,
      text: e.text ?? null,
    })
    .execute();
}

export function listChallengeEvents(db: Database, challengeId: number) {
  return db
    .selectFrom("challenge_events")
    .leftJoin("users", "users.id", "challenge_events.actor_user_id")
    .select([
      "challenge_events.id",
      "challenge_events.at",
      "challenge_events.event",
      "challenge_events.from_status",
      "challenge_events.to_status",
      "challenge_events.text",
      "users.name as actor_name",
    ])
    .where("challenge_events.challenge_id", "=", challengeId)
    .orderBy("challenge_events.id", "desc")
    .execute();
}

export function listChallengesForCase(db: Database, caseId: number) {
  return db
    .selectFrom("challenges")
    .innerJoin("users", "users.id", "challenges.raised_by_user_id")
    .innerJoin("agencies", "agencies.id", "challenges.raiser_agency_id")
    .select([...challengeColumns, "users.name as raiser_name", "agencies.name as raiser_agency"])
    .where("challenges.case_id", "=", caseId)
    .orderBy("challenges.created_at", "desc")
    .execute();
}

export interface RegisterFilters {
  areaId?: number;
  agencyId?: number;
  status?: ChallengeStatus | "open";
  category?: string;
  overdue?: boolean;
  resolution?: string;
}

/** The register: every challenge a manager may see, with the filters applied in SQL. */
export function listChallengeRegister(db: Database, scope: AreaScope, f: RegisterFilters) {
  let query = db
    .selectFrom("challenges")
    .innerJoin("cases", "cases.id", "challenges.case_id")
    .innerJoin("areas", "areas.id", "challenges.area_id")
    .innerJoin("agencies", "agencies.id", "challenges.raiser_agency_id")
    .innerJoin("users", "users.id", "challenges.raised_by_user_id")
    .select([
      ...challengeColumns,
      "cases.reference",
      "areas.name as area_name",
      "agencies.name as agency_name",
      "users.name as raiser_name",
    ]);
  query = query.where((eb) => inAreaScope(eb, "challenges.area_id", scope));
  if (f.areaId) query = query.where("challenges.area_id", "=", f.areaId);
  if (f.agencyId) query = query.where("challenges.raiser_agency_id", "=", f.agencyId);
  if (f.status === "open") query = query.where("challenges.status", "in", ["raised", "stage1", "stage2", "stage3", "stage4", "stage5"]);
  else if (f.status) query = query.where("challenges.status", "=", f.status);
  if (f.category) query = query.where("challenges.category", "=", f.category as never);
  // "Overdue" means open and past its stage's deadline now; a closed challenge is not overdue.
  const openStatuses: ChallengeStatus[] = ["raised", "stage1", "stage2", "stage3", "stage4", "stage5"];
  if (f.overdue === true) query = query.where("challenges.overdue", "=", true).where("challenges.status", "in", openStatuses);
  if (f.overdue === false)
    query = query.where((eb) => eb.or([eb("challenges.overdue", "=", false), eb("challenges.status", "not in", openStatuses)]));
  if (f.resolution) query = query.where("challenges.resolution", "=", f.resolution);
  return query.orderBy("challenges.created_at", "desc").execute();
}

/** Open challenges someone is party to, or that sit at a stage their role answers for. */
export function listOpenChallengesFor(db: Database, user: { id: number; role: Role } & AreaScope) {
  return db
    .selectFrom("challenges")
    .innerJoin("cases", "cases.id", "challenges.case_id")
    .innerJoin("agencies", "agencies.id", "challenges.raiser_agency_id")
    .innerJoin("users", "users.id", "challenges.raised_by_user_id")
    .select([...challengeColumns, "cases.reference", "agencies.name as agency_name", "users.name as raiser_name"])
    .where("challenges.status", "in", ["raised", "stage1", "stage2", "stage3", "stage4", "stage5"])
    .where((eb) => {
      const ors = [eb("challenges.raised_by_user_id", "=", user.id), eb("challenges.respondent_user_id", "=", user.id)];
      // The stages whose turn it is for their role (domain/challenge-stages.ts), in the areas they act for.
      const stages = stagesAnsweredBy(user.role);
      if (stages.length) ors.push(eb.and([eb("challenges.stage", "in", stages), inAreaScope(eb, "challenges.area_id", user)]));
      return eb.or(ors);
    })
    .orderBy("challenges.deadline_at")
    .execute();
}
