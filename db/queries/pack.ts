import type { Database } from "../connect";

/** The panel's information returns, with who wrote each and for which agency. */
export function listInformationReturns(db: Database, panelId: number) {
  return db
    .selectFrom("information_returns")
    .innerJoin("users", "users.id", "information_returns.user_id")
    .innerJoin("agencies", "agencies.id", "information_returns.agency_id")
    .select([
      "information_returns.id",
      "information_returns.agenda_item_id",
      "information_returns.user_id",
      "information_returns.body",
      "information_returns.written_at",
      "users.name",
      "agencies.name as agency_name",
    ])
    .where("information_returns.panel_id", "=", panelId)
    .orderBy("information_returns.written_at")
    .execute();
}

export type InformationReturnRow = Awaited<ReturnType<typeof listInformationReturns>>[number];

/** Writes a person's information return for an item, or replaces the one they wrote. */
export function upsertInformationReturn(
  db: Database,
  row: { panelId: number; itemId: number; userId: number; agencyId: number; body: string; at: Date },
) {
  return db
    .insertInto("information_returns")
    .values({
      panel_id: row.panelId,
      agenda_item_id: row.itemId,
      user_id: row.userId,
      agency_id: row.agencyId,
      body: row.body,
      written_at: row.at,
    })
    .onConflict((oc) => oc.columns(["agenda_item_id", "user_id"]).doUpdateSet({ body: row.body, written_at: row.at }))
    .execute();
}

/** Marks the pack read by the person (the first time counts). */
export function markPackRead(db: Database, row: { panelId: number; userId: number; at: Date }) {
  return db
    .insertInto("pack_reads")
    .values({ panel_id: row.panelId, user_id: row.userId, read_at: row.at })
    .onConflict((oc) => oc.columns(["panel_id", "user_id"]).doNothing())
    .execute();
}

/** Who has marked the panel's pack read, and when. */
export function listPackReads(db: Database, panelId: number) {
  return db.selectFrom("pack_reads").select(["user_id", "read_at"]).where("panel_id", "=", panelId).execute();
}
