import { sql } from "kysely";
import type { Database } from "../../db/connect";
import { ROLES, type AgencyKind, type Role } from "../../db/schema";
import type { CurrentUser } from "../lib/context";

/** The demo password for every demo user. Demo data only: never a default in production. */
export const DEMO_PASSWORD = "threshold-demo";

export const DEMO_AREAS = ["Crewe", "Macclesfield"] as const;

export const DEMO_AGENCIES: Array<{ name: string; kind: AgencyKind }> = [
  { name: "Children's Social Care", kind: "childrens_social_care" },
  { name: "Early Help", kind: "early_help" },
  { name: "Community Health Services", kind: "health" },
  { name: "Valley Primary School", kind: "education" },
  { name: "Cheshire Police", kind: "police" },
  { name: "Volunteer Family Support Service", kind: "volunteer_family_support" },
];

export const DEMO_USERS: Array<{
  name: string;
  email: string;
  role: Role;
  agency: string;
  area: (typeof DEMO_AREAS)[number] | null;
}> = [
  { name: "Alex Admin", email: "admin@example.org", role: "admin", agency: "Children's Social Care", area: null },
  { name: "Rita Referrer", email: "referrer@example.org", role: "professional", agency: "Valley Primary School", area: "Crewe" },
  { name: "Chris Crewe", email: "chair.crewe@example.org", role: "team_manager", agency: "Children's Social Care", area: "Crewe" },
  {
    name: "Mina Macclesfield",
    email: "chair.macclesfield@example.org",
    role: "team_manager",
    agency: "Children's Social Care",
    area: "Macclesfield",
  },
  { name: "Sam Service", email: "service.manager@example.org", role: "service_manager", agency: "Children's Social Care", area: null },
  { name: "Hana Health", email: "partner.health@example.org", role: "partner", agency: "Community Health Services", area: "Crewe" },
  { name: "Val Volunteer", email: "volunteer@example.org", role: "partner", agency: "Volunteer Family Support Service", area: "Crewe" },
  { name: "Eddie Early Help", email: "earlyhelp@example.org", role: "professional", agency: "Early Help", area: "Macclesfield" },
  // Receives step-downs to early help in Crewe; answers stage 2 challenges there.
  { name: "Erin Early", email: "earlyhelp.manager@example.org", role: "team_manager", agency: "Early Help", area: "Crewe" },
  // Answers stage 4 challenges everywhere.
  { name: "Hazel Head", email: "head.of.service@example.org", role: "head_of_service", agency: "Children's Social Care", area: null },
  { name: "Aude Auditor", email: "auditor@example.org", role: "auditor", agency: "Children's Social Care", area: null },
];

/** Who takes referrals for the front door in the demo (an administrator names the team under Front door). */
export const DEMO_FRONT_DOOR_TEAM = ["chair.crewe@example.org", "chair.macclesfield@example.org"];

export async function hasAnyUsers(db: Database): Promise<boolean> {
  const row = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  return Boolean(row);
}

/**
 * Writes the demo organisation and users in one transaction. Safe to run twice:
 * what exists already is left as it is.
 */
export async function seedDemo(db: Database, options: { passwordHash: string; now: Date }) {
  await db.transaction().execute(async (trx) => {
    for (const name of DEMO_AREAS) {
      await trx
        .insertInto("areas")
        .values({ name })
        .onConflict((oc) => oc.column("name").doNothing())
        .execute();
    }
    for (const agency of DEMO_AGENCIES) {
      await trx
        .insertInto("agencies")
        .values(agency)
        .onConflict((oc) => oc.column("name").doNothing())
        .execute();
    }
    const areas = new Map((await trx.selectFrom("areas").select(["id", "name"]).execute()).map((a) => [a.name, a.id]));
    const agencies = new Map((await trx.selectFrom("agencies").select(["id", "name"]).execute()).map((a) => [a.name, a.id]));
    for (const user of DEMO_USERS) {
      const exists = await trx
        .selectFrom("users")
        .select("id")
        .where(sql`lower(email)`, "=", user.email)
        .executeTakeFirst();
      if (exists) continue;
      await trx
        .insertInto("users")
        .values({
          name: user.name,
          email: user.email,
          password_hash: options.passwordHash,
          role: user.role,
          agency_id: agencies.get(user.agency)!,
          area_id: user.area ? areas.get(user.area)! : null,
          // The service and head-of-service managers act for every area.
          all_areas: !user.area && (user.role === "service_manager" || user.role === "head_of_service"),
          confirmed_at: options.now,
          updated_at: options.now,
        })
        .execute();
    }
    // The two chairs' social care teams take the front door's referrals in the demo.
    const frontDoor = await trx.selectFrom("users").select("id").where("email", "in", DEMO_FRONT_DOOR_TEAM).execute();
    if (frontDoor.length) {
      await trx
        .insertInto("front_door_members")
        .values(frontDoor.map((u) => ({ user_id: u.id, added_at: options.now })))
        .onConflict((oc) => oc.column("user_id").doNothing())
        .execute();
    }
    // The demo opens with a password alone: no role is asked for a second factor
    // (an administrator turns it on per role; in production it is on by default).
    for (const role of ROLES) {
      await trx
        .insertInto("role_settings")
        .values({ role, two_factor_required: false, updated_at: options.now })
        .onConflict((oc) => oc.column("role").doNothing())
        .execute();
    }
  });
}

/** A demo user as the services see them (the seed acts through the same use cases people do). */
export async function loadDemoUser(db: Database, email: string): Promise<CurrentUser> {
  const row = await db
    .selectFrom("users")
    .innerJoin("agencies", "agencies.id", "users.agency_id")
    .select([
      "users.id",
      "users.name",
      "users.email",
      "users.role",
      "users.agency_id",
      "users.area_id",
      "users.all_areas",
      "agencies.name as agency_name",
      "agencies.kind",
    ])
    .where("users.email", "=", email)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    agencyId: row.agency_id,
    agencyName: row.agency_name,
    agencyKind: row.kind,
    areaId: row.area_id,
    allAreas: row.all_areas,
  };
}
