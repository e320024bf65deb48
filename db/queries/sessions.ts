import type { Database } from "../connect";

export function insertSession(
  db: Database,
  session: { id: string; userId: number; at: Date; ip: string | null; pending?: "code" | "set_up" | null },
) {
  return db
    .insertInto("sessions")
    .values({
      id: session.id,
      user_id: session.userId,
      created_at: session.at,
      last_seen_at: session.at,
      ip: session.ip,
      pending: session.pending ?? null,
    })
    .execute();
}

/** The session with its user, in one query: it runs on every request. */
export function findSessionWithUser(db: Database, id: string) {
  return db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .innerJoin("agencies", "agencies.id", "users.agency_id")
    .select([
      "sessions.id as session_id",
      "sessions.created_at",
      "sessions.last_seen_at",
      "sessions.pending",
      "users.id",
      "users.name",
      "users.email",
      "users.role",
      "users.agency_id",
      "users.area_id",
      "users.all_areas",
      "users.active",
      "agencies.name as agency_name",
      "agencies.kind as agency_kind",
    ])
    .where("sessions.id", "=", id)
    .executeTakeFirst();
}

export function touchSession(db: Database, id: string, at: Date) {
  return db.updateTable("sessions").set({ last_seen_at: at }).where("id", "=", id).execute();
}

export function deleteSession(db: Database, id: string) {
  return db.deleteFrom("sessions").where("id", "=", id).execute();
}

export function deleteSessionsForUser(db: Database, userId: number) {
  return db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}

/** Ends every session of a user but the one they are using; returns how many ended. */
export async function deleteOtherSessionsForUser(db: Database, userId: number, keep: string) {
  const result = await db.deleteFrom("sessions").where("user_id", "=", userId).where("id", "<>", keep).executeTakeFirst();
  return Number(result.numDeletedRows);
}
