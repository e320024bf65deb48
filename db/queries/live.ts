import { sql } from "kysely";
import type { Database } from "../connect";

/** The channel instances listen on for a panel's live changes (PostgreSQL LISTEN/NOTIFY). */
export const PANEL_LIVE_CHANNEL = "panel_live";

/** An item's actual timings as the chair moves through the agenda. */
export function setItemTiming(db: Database, id: number, changes: { startedAt?: Date | null; endedAt?: Date | null; skipped?: boolean }) {
  return db
    .updateTable("agenda_items")
    .set({
      ...(changes.startedAt !== undefined ? { started_at: changes.startedAt } : {}),
      ...(changes.endedAt !== undefined ? { ended_at: changes.endedAt } : {}),
      ...(changes.skipped !== undefined ? { skipped: changes.skipped } : {}),
    })
    .where("id", "=", id)
    .execute();
}

export function setCurrentItem(db: Database, panelId: number, itemId: number | null) {
  return db.updateTable("panels").set({ current_item_id: itemId }).where("id", "=", panelId).execute();
}

/** Tells every instance listening that the panel changed (delivered when the caller's transaction commits). */
export async function notifyPanelChanged(db: Database, panelId: number, origin: string) {
  await sql`select pg_notify(${PANEL_LIVE_CHANNEL}, ${`${origin}:${panelId}`})`.execute(db);
}

/** Tells every instance listening that a person's sessions or access changed (delivered on commit). */
export async function notifyAccessChanged(db: Database, userId: number, origin: string) {
  await sql`select pg_notify(${PANEL_LIVE_CHANNEL}, ${`${origin}:user:${userId}`})`.execute(db);
}

/** Items with actual timings in panels that met in a period: planned slot against real minutes. */
export function timedItems(db: Database, scope: { from: Date; to: Date; areaId: number }) {
  let query = db
    .selectFrom("agenda_items")
    .innerJoin("panels", "panels.id", "agenda_items.panel_id")
    .innerJoin("requests", "requests.id", "agenda_items.request_id")
    .select([
      "agenda_items.panel_id",
      "agenda_items.slot_minutes",
      "agenda_items.started_at",
      "agenda_items.ended_at",
      "panels.kind as panel_kind",
      "panels.ends_at as panel_ends_at",
      "requests.kind",
    ])
    .where("agenda_items.started_at", "is not", null)
    .where("agenda_items.ended_at", "is not", null)
    .where("panels.starts_at", ">=", scope.from)
    .where("panels.starts_at", "<", scope.to);
  if (scope.areaId) query = query.where("panels.area_id", "=", scope.areaId);
  return query.execute();
}
