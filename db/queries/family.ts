import type { Database } from "../connect";
import type { FamilyToldMethod } from "../schema";

/** Each time a family was told of a decision on the case, newest first. */
export function listFamilyTold(db: Database, caseId: number) {
  return db
    .selectFrom("family_told")
    .innerJoin("users", "users.id", "family_told.recorded_by_user_id")
    .select([
      "family_told.id",
      "family_told.decision_id",
      "family_told.method",
      "family_told.told_on",
      "family_told.told_by",
      "family_told.response",
      "family_told.recorded_at",
      "users.name as recorded_by",
    ])
    .where("family_told.case_id", "=", caseId)
    .orderBy("family_told.told_on", "desc")
    .orderBy("family_told.id", "desc")
    .execute();
}

export type FamilyToldRow = Awaited<ReturnType<typeof listFamilyTold>>[number];

export function insertFamilyTold(
  db: Database,
  row: {
    caseId: number;
    decisionId: number;
    method: FamilyToldMethod;
    toldOn: string;
    toldBy: string;
    response: string | null;
    recordedBy: number;
    at: Date;
  },
) {
  return db
    .insertInto("family_told")
    .values({
      case_id: row.caseId,
      decision_id: row.decisionId,
      method: row.method,
      told_on: row.toldOn,
      told_by: row.toldBy,
      response: row.response,
      recorded_by_user_id: row.recordedBy,
      recorded_at: row.at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}
