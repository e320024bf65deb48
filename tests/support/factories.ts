import { hashSync } from "@node-rs/argon2";
import type { Database } from "../../db/connect";
import type { AgencyKind, Role } from "../../db/schema";
import type { Actor, CurrentUser } from "../../app/lib/context";

export const TEST_PASSWORD = "correct horse battery staple";
// Hashed once: hashing per user would dominate the suite's time.
const TEST_PASSWORD_HASH = hashSync(TEST_PASSWORD);

let counter = 0;
const next = () => ++counter;

export async function createArea(db: Database, name = `Area ${next()}`) {
  return db.insertInto("areas").values({ name }).returning(["id", "name"]).executeTakeFirstOrThrow();
}

export async function createAgency(db: Database, kind: AgencyKind = "education", name = `Agency ${next()}`) {
  return db.insertInto("agencies").values({ name, kind }).returning(["id", "name", "kind"]).executeTakeFirstOrThrow();
}

export async function createUser(
  db: Database,
  options: {
    role?: Role;
    email?: string;
    name?: string;
    agencyKind?: AgencyKind;
    agencyId?: number;
    areaId?: number | null;
    /** Defaults to true for a manager with no area, as the migration made existing ones. */
    allAreas?: boolean;
    active?: boolean;
    password?: string | null;
  } = {},
): Promise<CurrentUser> {
  const agency = options.agencyId
    ? await db.selectFrom("agencies").select(["id", "name", "kind"]).where("id", "=", options.agencyId).executeTakeFirstOrThrow()
    : await createAgency(db, options.agencyKind ?? "education");
  const n = next();
  const row = await db
    .insertInto("users")
    .values({
      name: options.name ?? `Test User ${n}`,
      email: options.email ?? `user${n}@example.test`,
      password_hash: options.password === null ? null : TEST_PASSWORD_HASH,
      role: options.role ?? "professional",
      agency_id: agency.id,
      area_id: options.areaId ?? null,
      all_areas:
        options.allAreas ??
        (!options.areaId && ["team_manager", "service_manager", "head_of_service"].includes(options.role ?? "professional")),
      active: options.active ?? true,
      updated_at: new Date(),
    })
    .returning(["id", "name", "email", "role", "area_id", "all_areas"])
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    agencyId: agency.id,
    agencyName: agency.name,
    agencyKind: agency.kind,
    areaId: row.area_id,
    allAreas: row.all_areas,
  };
}

export function actorFor(user: CurrentUser): Actor {
  return { user, ip: "127.0.0.1" };
}
