import { systemClock } from "../../app/lib/clock";
import { loadDemoUser } from "../../app/seed/demo";
import { startMeeting } from "../../app/services/meeting.server";
import type { Database } from "../../db/connect";

/**
 * Crewe's next demo panel with requests, started early by its chair, with the
 * health partner invited for its third item only (and nobody else for any).
 */
export async function startDemoPanelLive(db: Database) {
  const panel = await db
    .selectFrom("panels")
    .innerJoin("areas", "areas.id", "panels.area_id")
    .innerJoin("agenda_items", "agenda_items.panel_id", "panels.id")
    .select(["panels.id", "panels.version"])
    .where("areas.name", "=", "Crewe")
    .where("agenda_items.status", "=", "listed")
    .orderBy("panels.starts_at")
    .limit(1)
    .executeTakeFirstOrThrow();
  const items = await db
    .selectFrom("agenda_items")
    .innerJoin("cases", "cases.id", "agenda_items.case_id")
    .select(["agenda_items.id", "cases.reference"])
    .where("panel_id", "=", panel.id)
    .where("agenda_items.status", "=", "listed")
    .orderBy("position")
    .execute();
  const hana = await loadDemoUser(db, "partner.health@example.org");
  for (const [index, item] of items.entries()) {
    const ids = JSON.stringify(index === 2 ? [hana.id] : []);
    await db
      .updateTable("agenda_items")
      .set({ invited_user_ids: ids, invite_sent_user_ids: ids, invited_agency_ids: "[]" })
      .where("id", "=", item.id)
      .execute();
  }
  const chair = await loadDemoUser(db, "chair.crewe@example.org");
  await startMeeting({ db, clock: systemClock }, { user: chair, ip: null }, panel.id, {
    version: panel.version,
    earlyReason: "Held early to show the live page",
  });
  return { id: panel.id, references: items.map((i) => i.reference), total: items.length };
}
