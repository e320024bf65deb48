import type { Database } from "../../db/connect";
import { addAttendees } from "../../db/queries/attendance";
import { insertPanel } from "../../db/queries/panels";
import type { findSchedule } from "../../db/queries/schedules";
import { listUsersOfAgencies } from "../../db/queries/users";
import type { PanelSchedulesTable } from "../../db/schema";
import { INITIAL_PANEL } from "../../machines/panel/panel.machine";
import { appUrlOf, type Deps } from "../lib/context";
import { todayIn } from "../lib/dates";
import { panelOccurrences, type PanelSchedule } from "../lib/panel-schedule";
import { sendPanelInvites } from "./panel-invites.server";

/*
 * Making an area's panels from its schedule: what the schedule page, the
 * lifecycle's housekeeping and request placement all need, kept apart from
 * them so none of the three imports another to get it.
 */

export type ScheduleRow = NonNullable<Awaited<ReturnType<typeof findSchedule>>>;

/** Panels exist at least this far ahead, so people can plan and requests can be placed. */
export const WEEKS_AHEAD = 13;

export function toSchedule(
  row: Pick<
    PanelSchedulesTable,
    "anchor_date" | "weekday" | "interval_weeks" | "start_time" | "end_time" | "cutoff_days_before" | "cutoff_time"
  >,
): PanelSchedule {
  return {
    anchorDate: row.anchor_date,
    weekday: row.weekday,
    intervalWeeks: row.interval_weeks,
    startTime: row.start_time,
    endTime: row.end_time,
    cutoffDaysBefore: row.cutoff_days_before,
    cutoffTime: row.cutoff_time,
  };
}

/** The chair and core members (people, and the people of core agencies in the area) of a schedule. */
export async function coreAttendees(trx: Database, schedule: ScheduleRow) {
  const agencyPeople = await listUsersOfAgencies(trx, schedule.core_agency_ids, schedule.area_id);
  const people: Array<{ userId: number; role: "chair" | "core" }> = [];
  if (schedule.chair_user_id) people.push({ userId: schedule.chair_user_id, role: "chair" });
  for (const id of [...schedule.core_user_ids, ...agencyPeople.map((u) => u.id)]) {
    if (id !== schedule.chair_user_id) people.push({ userId: id, role: "core" });
  }
  return people;
}

/** Creates the schedule's panels for the weeks ahead; existing ones are left alone. Returns how many were new. */
export async function generatePanels(trx: Database, deps: Deps, schedule: ScheduleRow, now: Date) {
  const occurrences = panelOccurrences(toSchedule(schedule), todayIn(deps), WEEKS_AHEAD);
  let created = 0;
  for (const o of occurrences) {
    if (o.startsAt <= now) continue;
    const inserted = await insertPanel(trx, {
      areaId: schedule.area_id,
      kind: "routine",
      meetingDate: o.date,
      movedFrom: o.movedFrom,
      startsAt: o.startsAt,
      endsAt: o.endsAt,
      cutoffAt: o.cutoffAt,
      chairUserId: schedule.chair_user_id,
      venue: schedule.venue,
      meetingLink: schedule.meeting_link,
      lifecycle: INITIAL_PANEL,
      status: "scheduled",
      at: now,
    });
    if (!inserted) continue;
    created++;
    await addAttendees(trx, inserted.id, await coreAttendees(trx, schedule));
    await sendPanelInvites(trx, inserted.id, "new", appUrlOf(deps), now);
  }
  return created;
}
