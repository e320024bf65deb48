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
