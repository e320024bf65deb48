import { sql } from "kysely";
import type { Database } from "../connect";
import type { PanelSchedulesTable } from "../schema";

export function listSchedules(db: Database) {
  return db
    .selectFrom("areas")
    .leftJoin("panel_schedules", "panel_schedules.area_id", "areas.id")
    .leftJoin("users", "users.id", "panel_schedules.chair_user_id")
    .select([
      "areas.id as area_id",
      "areas.name as area_name",
      "panel_schedules.weekday",
      "panel_schedules.interval_weeks",
      "panel_schedules.start_time",
      "panel_schedules.end_time",
      "panel_schedules.venue",
      "users.name as chair_name",
    ])
    .orderBy("areas.name")
    .execute();
}

export function findSchedule(db: Database, areaId: number) {
  return db.selectFrom("panel_schedules").selectAll().where("area_id", "=", areaId).executeTakeFirst();
}

export function listAllSchedules(db: Database) {
  return db.selectFrom("panel_schedules").selectAll().execute();
}

export type ScheduleValues = Omit<PanelSchedulesTable, "version" | "core_user_ids" | "core_agency_ids" | "updated_at"> & {
  core_user_ids: number[];
  core_agency_ids: number[];
  updated_at: Date;
};

/** Writes a schedule only if it is unchanged since `expectedVersion` (or new). */
export async function upsertSchedule(db: Database, values: ScheduleValues, expectedVersion: number | null) {
  const row = {
    ...values,
    core_user_ids: JSON.stringify(values.core_user_ids),
    core_agency_ids: JSON.stringify(values.core_agency_ids),
  };
  if (expectedVersion === null) {
    const inserted = await db
      .insertInto("panel_schedules")
      .values(row)
      .onConflict((oc) => oc.column("area_id").doNothing())
      .returning("version")
      .executeTakeFirst();
    return Boolean(inserted);
  }
  const updated = await db
    .updateTable("panel_schedules")
    .set({ ...row, version: sql`version + 1` })
    .where("area_id", "=", values.area_id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
