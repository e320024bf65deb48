import { sql } from "kysely";
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

/** Everyone on a panel's attendance: invited people, and whoever the chair added at the meeting (with or without an account). */
export function listAttendees(db: Database, panelIds: number[]) {
  if (!panelIds.length) return Promise.resolve([]);
  return db
    .selectFrom("panel_attendees")
    .leftJoin("users", "users.id", "panel_attendees.user_id")
    .innerJoin("agencies", (join) =>
      join.on((eb) => eb("agencies.id", "=", eb.fn.coalesce("users.agency_id", "panel_attendees.guest_agency_id"))),
    )
    .select((eb) => [
      "panel_attendees.id",
      "panel_attendees.panel_id",
      "panel_attendees.user_id",
      "panel_attendees.role",
      "panel_attendees.attendance",
      "panel_attendees.guest_role",
      eb.fn.coalesce("users.name", "panel_attendees.guest_name").$notNull().as("name"),
      "users.email",
      eb.fn.coalesce("users.active", sql<boolean>`true`).as("active"),
      "agencies.id as agency_id",
      "agencies.name as agency_name",
      "agencies.kind as agency_kind",
    ])
    .where("panel_attendees.panel_id", "in", panelIds)
    .orderBy("panel_attendees.role")
    .orderBy("name")
    .execute();
}

/** Adds someone who turned up: a user (once per panel) or a guest with a name, role and agency. */
export async function addPresentAttendee(
  db: Database,
  panelId: number,
  person: { userId: number } | { guestName: string; guestRole: string; agencyId: number },
  attendance: Attendance,
) {
  const row = await db
    .insertInto("panel_attendees")
    .values(
      "userId" in person
        ? { panel_id: panelId, user_id: person.userId, role: "present", attendance }
        : {
            panel_id: panelId,
            user_id: null,
            guest_name: person.guestName,
            guest_role: person.guestRole,
            guest_agency_id: person.agencyId,
            role: "present",
            attendance,
          },
    )
    .onConflict((oc) => oc.columns(["panel_id", "user_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
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
