import type { Database } from "../connect";
import type { AgencyKind } from "../schema";

export function listAreas(db: Database) {
  return db.selectFrom("areas").select(["id", "name"]).orderBy("name").execute();
}

export function findAreaById(db: Database, id: number) {
  return db
    .selectFrom("areas")
    .select(["id", "name", "quorum_kinds", "quorum_others", "lead_within_days", "transfer_within_days"])
    .where("id", "=", id)
    .executeTakeFirst();
}

export function areaNameTaken(db: Database, name: string, exceptId?: number) {
  let query = db
    .selectFrom("areas")
    .select("id")
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.trim().toLowerCase()));
  if (exceptId) query = query.where("id", "<>", exceptId);
  return query.executeTakeFirst().then(Boolean);
}

export function insertArea(db: Database, name: string) {
  return db.insertInto("areas").values({ name }).returning("id").executeTakeFirstOrThrow();
}

export function updateArea(
  db: Database,
  id: number,
  name: string,
  quorum?: { kinds: string[]; others: number },
  clocks?: { leadWithinDays: number; transferWithinDays: number },
) {
  return db
    .updateTable("areas")
    .set({
      name,
      ...(quorum ? { quorum_kinds: JSON.stringify(quorum.kinds), quorum_others: quorum.others } : {}),
      ...(clocks ? { lead_within_days: clocks.leadWithinDays, transfer_within_days: clocks.transferWithinDays } : {}),
    })
    .where("id", "=", id)
    .executeTakeFirst();
}

export function listAgencies(db: Database, options: { activeOnly?: boolean } = {}) {
  let query = db.selectFrom("agencies").select(["id", "name", "kind", "active"]).orderBy("name");
  if (options.activeOnly) query = query.where("active", "=", true);
  return query.execute();
}

export function findAgencyById(db: Database, id: number) {
  return db.selectFrom("agencies").select(["id", "name", "kind", "active"]).where("id", "=", id).executeTakeFirst();
}

export function agencyNameTaken(db: Database, name: string, exceptId?: number) {
  let query = db
    .selectFrom("agencies")
    .select("id")
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.trim().toLowerCase()));
  if (exceptId) query = query.where("id", "<>", exceptId);
  return query.executeTakeFirst().then(Boolean);
}

export function insertAgency(db: Database, agency: { name: string; kind: AgencyKind }) {
  return db.insertInto("agencies").values(agency).returning("id").executeTakeFirstOrThrow();
}

export function updateAgency(db: Database, id: number, changes: { name?: string; kind?: AgencyKind; active?: boolean }) {
  return db.updateTable("agencies").set(changes).where("id", "=", id).executeTakeFirst();
}

/** An agency's named contact for invites (kept for next time). */
export async function setAgencyContact(db: Database, id: number, contact: { name: string; email: string }) {
  await db.updateTable("agencies").set({ contact_name: contact.name, contact_email: contact.email }).where("id", "=", id).execute();
}
