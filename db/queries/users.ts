import { sql } from "kysely";
import type { Database } from "../connect";
import type { NewUser, Role, UserUpdate } from "../schema";

const userColumns = [
  "users.id",
  "users.name",
  "users.email",
  "users.role",
  "users.agency_id",
  "users.area_id",
  "users.all_areas",
  "users.active",
] as const;

export function findUserByEmailForSignIn(db: Database, email: string) {
  return db
    .selectFrom("users")
    .select((eb) => [
      ...userColumns,
      "users.password_hash",
      "users.totp_enabled_at",
      eb.exists(eb.selectFrom("passkeys").select("passkeys.id").whereRef("passkeys.user_id", "=", "users.id")).as("has_passkeys"),
    ])
    .where(sql`lower(email)`, "=", email.trim().toLowerCase())
    .executeTakeFirst();
}

/** A user with their password hash, for changing it. */
export function findUserWithPassword(db: Database, id: number) {
  return db
    .selectFrom("users")
    .select([...userColumns, "users.password_hash"])
    .where("users.id", "=", id)
    .executeTakeFirst();
}

export function findUserById(db: Database, id: number) {
  return db
    .selectFrom("users")
    .innerJoin("agencies", "agencies.id", "users.agency_id")
    .leftJoin("areas", "areas.id", "users.area_id")
    .select([...userColumns, "users.totp_enabled_at", "agencies.name as agency_name", "areas.name as area_name"])
    .where("users.id", "=", id)
    .executeTakeFirst();
}

export function listUsers(db: Database, filter: { role?: Role; areaId?: number } = {}) {
  let query = db
    .selectFrom("users")
    .innerJoin("agencies", "agencies.id", "users.agency_id")
    .leftJoin("areas", "areas.id", "users.area_id")
    .select([...userColumns, "agencies.name as agency_name", "areas.name as area_name"])
    .orderBy("users.name");
  if (filter.role) query = query.where("users.role", "=", filter.role);
  if (filter.areaId) query = query.where("users.area_id", "=", filter.areaId);
  return query.execute();
}

/** Accounts someone other than an administrator made (at a panel) that no administrator has confirmed yet. */
export function listUnconfirmedUsers(db: Database) {
  return db
    .selectFrom("users")
    .innerJoin("agencies", "agencies.id", "users.agency_id")
    .innerJoin("users as maker", "maker.id", "users.created_by_user_id")
    .select([...userColumns, "agencies.name as agency_name", "maker.name as made_by", "users.created_at"])
    .where("users.confirmed_at", "is", null)
    .where("users.active", "=", true)
    .orderBy("users.created_at")
    .execute();
}

export function emailTaken(db: Database, email: string, exceptUserId?: number) {
  let query = db
    .selectFrom("users")
    .select("id")
    .where(sql`lower(email)`, "=", email.trim().toLowerCase());
  if (exceptUserId) query = query.where("id", "<>", exceptUserId);
  return query.executeTakeFirst().then(Boolean);
}

export function insertUser(db: Database, user: NewUser) {
  return db.insertInto("users").values(user).returning("id").executeTakeFirstOrThrow();
}

export function updateUser(db: Database, id: number, changes: UserUpdate) {
  return db.updateTable("users").set(changes).where("id", "=", id).executeTakeFirst();
}

/** Active people with a role who act for an area: its own, or every area (the policy's `actsForArea`). */
export async function listActiveUserIdsByRole(db: Database, role: Role, areaId: number) {
  const rows = await db
    .selectFrom("users")
    .select("id")
    .where("role", "=", role)
    .where("active", "=", true)
    .where((eb) => eb.or([eb("area_id", "=", areaId), eb("all_areas", "=", true)]))
    .execute();
  return rows.map((r) => r.id);
}

export async function hasCalendarToken(db: Database, userId: number) {
  const row = await db.selectFrom("users").select("calendar_token_hash").where("id", "=", userId).executeTakeFirst();
  return Boolean(row?.calendar_token_hash);
}

/** A new private calendar address for someone, or none (null): the old address stops working either way. */
export async function setCalendarTokenHash(db: Database, userId: number, hash: string | null) {
  await db.updateTable("users").set({ calendar_token_hash: hash }).where("id", "=", userId).execute();
}

/** The active person whose private calendar address carries this secret (hashed). */
export function findActiveUserByCalendarToken(db: Database, hash: string) {
  return db.selectFrom("users").select(["id"]).where("calendar_token_hash", "=", hash).where("active", "=", true).executeTakeFirst();
}

/** Active people who work in an area (or across all areas), for choosing owners and invitees. */
export function listAreaPeople(db: Database, areaId: number) {
  return (
    db
      .selectFrom("users")
      .innerJoin("agencies", "agencies.id", "users.agency_id")
      .select(["users.id", "users.name", "users.role", "agencies.name as agency_name", "agencies.kind as agency_kind"])
      .where("users.active", "=", true)
      .where("users.role", "not in", ["admin", "auditor"])
      // The area's own people, and the managers who act for every area: never someone of another area.
      .where((eb) => eb.or([eb("users.area_id", "=", areaId), eb("users.all_areas", "=", true)]))
      .orderBy("users.name")
      .execute()
  );
}

/** Users (active) of the given agencies in an area, for slot invites. */
export function listUsersOfAgencies(db: Database, agencyIds: number[], areaId: number) {
  if (!agencyIds.length) return Promise.resolve([]);
  return (
    db
      .selectFrom("users")
      .select(["id", "name", "email", "agency_id"])
      .where("agency_id", "in", agencyIds)
      .where("active", "=", true)
      // Anyone working at the agency in the area: its professionals and partners, and its team managers too.
      .where("role", "in", ["partner", "professional", "team_manager"])
      .where((eb) => eb.or([eb("area_id", "=", areaId), eb("area_id", "is", null)]))
      .execute()
  );
}

export function listUsersByIds(db: Database, ids: number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom("users")
    .innerJoin("agencies", "agencies.id", "users.agency_id")
    .select(["users.id", "users.name", "users.email", "users.active", "users.agency_id", "agencies.name as agency_name"])
    .where("users.id", "in", ids)
    .execute();
}

/**
 * Who receives a step-down in an area: early help team managers, or the
 * Volunteer Family Support Service's people; plus each such agency's named
 * contact (kept when a chair named one), for agencies with no one signed up.
 */
export async function listReceivingService(
  db: Database,
  areaId: number,
  kind: "childrens_social_care" | "early_help" | "volunteer_family_support",
) {
  const [people, contacts] = await Promise.all([
    db
      .selectFrom("users")
      .innerJoin("agencies", "agencies.id", "users.agency_id")
      .select(["users.id", "users.name", "users.email"])
      .where("agencies.kind", "=", kind)
      .where("agencies.active", "=", true)
      .where("users.active", "=", true)
      .where("users.role", "in", kind === "volunteer_family_support" ? ["partner", "professional", "team_manager"] : ["team_manager"])
      .where((eb) => eb.or([eb("users.area_id", "=", areaId), eb("users.area_id", "is", null)]))
      .orderBy("users.name")
      .execute(),
    db
      .selectFrom("agencies")
      .select(["id", "contact_name", "contact_email"])
      .where("kind", "=", kind)
      .where("active", "=", true)
      .where("contact_email", "is not", null)
      .execute(),
  ]);
  const known = new Set(people.map((p) => p.email.toLowerCase()));
  return {
    people,
    contacts: contacts
      .filter((c) => !known.has(c.contact_email!.toLowerCase()))
      .map((c) => ({ agencyId: c.id, name: c.contact_name, email: c.contact_email! })),
  };
}

/** Of these agencies, those with nobody (active, with an email address) an item invite would reach in the area. */
export async function listAgenciesWithNobody(db: Database, agencyIds: number[], areaId: number) {
  if (!agencyIds.length) return [];
  const reached = new Set((await listUsersOfAgencies(db, agencyIds, areaId)).map((u) => u.agency_id));
  return agencyIds.filter((id) => !reached.has(id));
}

/** Active service managers, with their agency and their area's name (none when they act for every area). */
export function listServiceManagers(db: Database) {
  return db
    .selectFrom("users")
    .innerJoin("agencies", "agencies.id", "users.agency_id")
    .leftJoin("areas", "areas.id", "users.area_id")
    .select([...userColumns, "agencies.name as agency_name", "agencies.kind as agency_kind", "areas.name as area_name"])
    .where("users.role", "=", "service_manager")
    .where("users.active", "=", true)
    .orderBy("users.id")
    .execute();
}
