import type { Database } from "../connect";

/** The people an administrator named as the front-door team, active ones only. */
export function listFrontDoorMembers(db: Database) {
  return db
    .selectFrom("front_door_members")
    .innerJoin("users", "users.id", "front_door_members.user_id")
    .select(["users.id", "users.name", "users.email"])
    .where("users.active", "=", true)
    .orderBy("users.name")
    .execute();
}

export async function isFrontDoorMember(db: Database, userId: number) {
  const row = await db.selectFrom("front_door_members").select("user_id").where("user_id", "=", userId).executeTakeFirst();
  return Boolean(row);
}

export async function replaceFrontDoorMembers(db: Database, userIds: number[], at: Date) {
  await db.deleteFrom("front_door_members").execute();
  if (userIds.length)
    await db
      .insertInto("front_door_members")
      .values(userIds.map((id) => ({ user_id: id, added_at: at })))
      .execute();
}

/** Every referral handed to the front door, newest first, with who made it and how to reach them. */
export function listFrontDoorReferrals(db: Database) {
  return db
    .selectFrom("requests")
    .innerJoin("cases", "cases.id", "requests.case_id")
    .innerJoin("areas", "areas.id", "cases.area_id")
    .innerJoin("users as asker", "asker.id", "requests.submitted_by_user_id")
    .innerJoin("agencies", "agencies.id", "requests.agency_id")
    .leftJoin("users as receiver", "receiver.id", "requests.front_door_received_by_user_id")
    .select([
      "requests.id",
      "requests.answers",
      "requests.submitted_at",
      "requests.front_door_received_at",
      "receiver.name as received_by",
      "cases.reference",
      "cases.child_first_name",
      "cases.child_last_name",
      "areas.name as area_name",
      "asker.name as asker_name",
      "asker.email as asker_email",
      "agencies.name as agency_name",
    ])
    .where("requests.status", "=", "front_door")
    .orderBy("requests.submitted_at", "desc")
    .execute();
}

/** Marks a referral received; false when someone already had. */
export async function markFrontDoorReceived(db: Database, requestId: number, userId: number, at: Date) {
  const result = await db
    .updateTable("requests")
    .set({ front_door_received_at: at, front_door_received_by_user_id: userId })
    .where("id", "=", requestId)
    .where("status", "=", "front_door")
    .where("front_door_received_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
