import { aboutCase } from "./audit";
import type { Database } from "../connect";

/** The agenda items a case was listed as, with their panels' dates and minutes. */
export function listCaseMinutes(db: Database, caseId: number) {
  return db
    .selectFrom("agenda_items")
    .innerJoin("panels", "panels.id", "agenda_items.panel_id")
    .innerJoin("areas", "areas.id", "panels.area_id")
    .select([
      "agenda_items.id as item_id",
      "panels.id as panel_id",
      "panels.meeting_date",
      "panels.kind",
      "areas.name as area_name",
      "panels.minutes",
    ])
    .where("agenda_items.case_id", "=", caseId)
    .orderBy("panels.meeting_date")
    .execute();
}

/** Every audit row about a case: reads of it (alone or in a list) and changes to it. */
export function listAuditAboutCase(db: Database, reference: string, limit = 5000) {
  return db
    .selectFrom("audit_events")
    .leftJoin("users", "users.id", "audit_events.actor_user_id")
    .select(["audit_events.at", "audit_events.action", "audit_events.ip", "users.name as actor_name", "users.email as actor_email"])
    .where(aboutCase(reference))
    .orderBy("audit_events.id")
    .limit(limit)
    .execute();
}

/** The fields of a case's record a reviewer has marked to withhold from the subject-access copy. */
export async function listWithheldFields(db: Database, caseId: number): Promise<string[]> {
  const rows = await db.selectFrom("subject_access_withheld").select("field").where("case_id", "=", caseId).orderBy("field").execute();
  return rows.map((r) => r.field);
}

/** Replaces the marks on a case's record with these; the record itself is untouched. */
export async function replaceWithheldFields(db: Database, row: { caseId: number; fields: string[]; by: number; at: Date }) {
  await db.deleteFrom("subject_access_withheld").where("case_id", "=", row.caseId).execute();
  if (!row.fields.length) return;
  await db
    .insertInto("subject_access_withheld")
    .values(row.fields.map((field) => ({ case_id: row.caseId, field, marked_by_user_id: row.by, marked_at: row.at })))
    .execute();
}
