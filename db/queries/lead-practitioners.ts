import type { Database } from "../connect";

/** The case's lead practitioner as last named by the receiving service, or undefined when none has been. */
export function findNamedLead(db: Database, caseId: number) {
  return db
    .selectFrom("lead_practitioners")
    .innerJoin("users", "users.id", "lead_practitioners.named_by_user_id")
    .select([
      "lead_practitioners.id",
      "lead_practitioners.decision_id",
      "lead_practitioners.lead",
      "lead_practitioners.lead_user_id",
      "lead_practitioners.supervisor",
      "lead_practitioners.supervisor_user_id",
      "lead_practitioners.named_at",
      "users.name as named_by",
    ])
    .where("lead_practitioners.case_id", "=", caseId)
    .orderBy("lead_practitioners.id", "desc")
    .limit(1)
    .executeTakeFirst();
}

export type NamedLeadRow = NonNullable<Awaited<ReturnType<typeof findNamedLead>>>;

export function insertNamedLead(
  db: Database,
  row: {
    caseId: number;
    decisionId: number;
    lead: string;
    leadUserId: number | null;
    supervisor: string | null;
    supervisorUserId: number | null;
    namedBy: number;
    at: Date;
  },
) {
  return db
    .insertInto("lead_practitioners")
    .values({
      case_id: row.caseId,
      decision_id: row.decisionId,
      lead: row.lead,
      lead_user_id: row.leadUserId,
      supervisor: row.supervisor,
      supervisor_user_id: row.supervisorUserId,
      named_by_user_id: row.namedBy,
      named_at: row.at,
    })
    .execute();
}
