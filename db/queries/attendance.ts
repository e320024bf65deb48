import type { Database } from "../connect";
import type { Attendance } from "../schema";

export async function addAttendees(db: Database, panelId: number, people: Array<{ userId: number; role: "chair" | "core" | "item" }>) {
  if (!people.length) return;
  await db
    .insertInto("panel_attendees")
    .values(people.map((p) => ({ panel_id: panelId, user_id: p.userId, role: p.role })))
    .onConflict((oc) => oc.columns(["panel_id", "user_id"]).doNothing())
    .execute();
}

export function listAttendees(db: Database, panelIds: number[]) {
  if (!panelIds.length) return Promise.resolve([]);
  return db
    .selectFrom("panel_attendees")
    .innerJoin("users", "users.id", "panel_attendees.user_id")
    .innerJoin("agencies", "agencies.id", "users.agency_id")
    .select([
      "panel_attendees.id",
      "panel_attendees.panel_id",
      "panel_attendees.user_id",
      "panel_attendees.role",
      "panel_attendees.attendance",
      "users.name",
      "users.email",
      "users.active",
      "agencies.name as agency_name",
      "agencies.kind as agency_kind",
    ])
    .where("panel_attendees.panel_id", "in", panelIds)
    .orderBy("panel_attendees.role")
    .orderBy("users.name")
    .execute();
}

export async function setAttendance(db: Database, panelId: number, marks: Array<{ attendeeId: number; attendance: Attendance | null }>) {
  for (const mark of marks) {
    await db
      .updateTable("panel_attendees")
      .set({ attendance: mark.attendance })
      .where("id", "=", mark.attendeeId)
      .where("panel_id", "=", panelId)
      .execute();
  }
}

/** Which of these panels a person is invited to. */
export async function listPanelsAttendedBy(db: Database, userId: number, panelIds: number[]) {
  if (!panelIds.length) return new Set<number>();
  const rows = await db
    .selectFrom("panel_attendees")
    .select("panel_id")
    .where("user_id", "=", userId)
    .where("panel_id", "in", panelIds)
    .execute();
  return new Set(rows.map((r) => r.panel_id));
}
