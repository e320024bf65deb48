import type { Database } from "../connect";

/** The panel's declarations of interest, with who declared each. */
export function listDeclarations(db: Database, panelId: number) {
  return db
    .selectFrom("interest_declarations")
    .innerJoin("users", "users.id", "interest_declarations.user_id")
    .innerJoin("agencies", "agencies.id", "users.agency_id")
    .select([
      "interest_declarations.id",
      "interest_declarations.agenda_item_id",
      "interest_declarations.user_id",
      "interest_declarations.reason",
      "interest_declarations.declared_at",
      "users.name",
      "agencies.name as agency_name",
    ])
    .where("interest_declarations.panel_id", "=", panelId)
    .orderBy("interest_declarations.declared_at")
    .execute();
}

export type DeclarationRow = Awaited<ReturnType<typeof listDeclarations>>[number];

/** Declares an interest, or replaces the reason for one already declared. */
export function upsertDeclaration(db: Database, row: { panelId: number; itemId: number; userId: number; reason: string; at: Date }) {
  return db
    .insertInto("interest_declarations")
    .values({ panel_id: row.panelId, agenda_item_id: row.itemId, user_id: row.userId, reason: row.reason, declared_at: row.at })
    .onConflict((oc) => oc.columns(["agenda_item_id", "user_id"]).doUpdateSet({ reason: row.reason, declared_at: row.at }))
    .execute();
}

/** Whether the person declared an interest in the item. */
export async function hasDeclaredInterest(db: Database, itemId: number, userId: number) {
  const row = await db
    .selectFrom("interest_declarations")
    .select("id")
    .where("agenda_item_id", "=", itemId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}
