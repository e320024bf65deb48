import { DateTime } from "luxon";
import { insertAuditEvent } from "../../db/queries/audit";
import { findAreaById, listAgencies } from "../../db/queries/organisation";
import type { Database } from "../../db/connect";
import { addAttendees } from "../../db/queries/attendance";
import { findSchedule, listSchedules, upsertSchedule } from "../../db/queries/schedules";
import { listOpenPanels, updatePanelIfUnchanged } from "../../db/queries/panels";
import { listAreaPeople } from "../../db/queries/users";
import { isoFromParts } from "../lib/dates";
import type { scheduleSchema } from "../forms/panel";
import { todayIn } from "../lib/dates";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { ConflictError, FormError } from "../lib/errors";
import { panelOccurrences } from "../lib/panel-schedule";
import { forbidden } from "./authorise.server";
import { refreshSlotInvites, sendPanelInvites } from "./panel-invites.server";
import type { z } from "zod";
import { cancelPanelInTransaction } from "./panel-lifecycle.server";
import { placeWaitingRequests } from "./request-placement.server";
import { coreAttendees, generatePanels, toSchedule, WEEKS_AHEAD, type ScheduleRow } from "./panel-generation.server";
import { mayEditSchedule, may } from "../lib/policy";

export async function listPanelSchedules(deps: Deps, actor: Actor) {
  if (!may(actor.user, "editSchedules")) throw forbidden();
  return (await listSchedules(deps.db)).filter((s) => mayEditSchedule(actor.user, s.area_id));
}

export async function scheduleForEdit(deps: Deps, actor: Actor, areaId: number) {
  if (!mayEditSchedule(actor.user, areaId)) throw forbidden();
  const area = await findAreaById(deps.db, areaId);
  if (!area) return null;
  const schedule = await findSchedule(deps.db, areaId);
  const people = await listAreaPeople(deps.db, areaId);
  const agencies = await listAgencies(deps.db, { activeOnly: true });
  // Step-downs go to early help: a panel without an early help core member has to find one per item.
  const earlyHelpCore =
    people.some((p) => schedule?.core_user_ids.includes(p.id) && p.agency_kind === "early_help") ||
    agencies.some((a) => schedule?.core_agency_ids.includes(a.id) && a.kind === "early_help");
  return { area, schedule: schedule ?? null, people, agencies, today: todayIn(deps), lacksEarlyHelp: Boolean(schedule) && !earlyHelpCore };
}

/**
 * Saves an area's schedule, then brings its future panels in line: new ones
 * generated, changed time, place, link or chair sent as invite updates.
 */
export async function saveSchedule(deps: Deps, actor: Actor, areaId: number, input: z.output<ReturnType<typeof scheduleSchema>>) {
  if (!mayEditSchedule(actor.user, areaId)) throw forbidden();
  const now = deps.clock.now();
  const anchor = isoFromParts(input as Record<string, unknown>, "first");
  if (!anchor) throw new FormError({ firstDay: "The date of the first panel must be a real date" });
  const weekday = DateTime.fromISO(anchor).toFormat("ccc").slice(0, 2).toUpperCase();
  if (weekday !== input.weekday) {
    throw new FormError({ firstDay: "The first panel must fall on the day the panel meets" });
  }
  return deps.db.transaction().execute(async (trx) => {
    // The chair and core members are the area's own people, as the page offers them; the chair a manager.
    const people = new Map((await listAreaPeople(trx, areaId)).map((p) => [p.id, p]));
    const chair = input.chairUserId ? people.get(input.chairUserId) : undefined;
    if (input.chairUserId && (!chair || !may(chair, "managePanels")))
      throw new FormError({ chairUserId: "Choose the chair from the list" });
    if (input.coreUserIds.some((id) => !people.has(id))) throw new FormError({ coreUserIds: "Choose core members from the list" });
    const before = await findSchedule(trx, areaId);
    const saved = await upsertSchedule(
      trx,
      {
        area_id: areaId,
        anchor_date: anchor,
        weekday: input.weekday,
        interval_weeks: input.intervalWeeks,
        start_time: input.startTime,
        end_time: input.endTime,
        cutoff_days_before: input.cutoffDaysBefore,
        cutoff_time: input.cutoffTime,
        chair_user_id: input.chairUserId ?? null,
        core_user_ids: input.coreUserIds,
        core_agency_ids: input.coreAgencyIds,
        venue: input.venue ?? null,
        meeting_link: input.meetingLink ?? null,
        updated_at: now,
      },
      before ? (input.version ?? before.version) : null,
    );
    if (!saved)
      throw new ConflictError(
        { status: "changed", version: before?.version ?? 0, changes: ["someone else saved this schedule"] },
        "schedule",
      );
    const after = (await findSchedule(trx, areaId))!;
    if (before) await applyScheduleChange(trx, deps, actor, before, after, now);
    await generatePanels(trx, deps, after, now);
    await placeWaitingRequests(trx, deps, areaId);
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: "schedule.saved",
      recordType: "area",
      recordId: areaId,
      ip: actor.ip,
    });
  });
}

/** Future routine panels that have not started follow the new schedule. */
async function applyScheduleChange(trx: Database, deps: Deps, actor: Actor, before: ScheduleRow, after: ScheduleRow, now: Date) {
  const recurrenceChanged =
    before.anchor_date !== after.anchor_date || before.weekday !== after.weekday || before.interval_weeks !== after.interval_weeks;
  const detailsChanged =
    before.start_time !== after.start_time ||
    before.end_time !== after.end_time ||
    before.venue !== after.venue ||
    before.meeting_link !== after.meeting_link ||
    before.chair_user_id !== after.chair_user_id ||
    before.cutoff_days_before !== after.cutoff_days_before ||
    before.cutoff_time !== after.cutoff_time;
  const membersChanged =
    JSON.stringify(before.core_user_ids) !== JSON.stringify(after.core_user_ids) ||
    JSON.stringify(before.core_agency_ids) !== JSON.stringify(after.core_agency_ids);
  if (!recurrenceChanged && !detailsChanged && !membersChanged) return;
  const future = (await listOpenPanels(trx, after.area_id, now)).filter((p) => p.kind === "routine");
  const wanted = new Map(panelOccurrences(toSchedule(after), todayIn(deps), WEEKS_AHEAD).map((o) => [o.date, o]));
  for (const panel of future) {
    const occurrence = wanted.get(panel.meeting_date);
    if (!occurrence) {
      // The date is no longer a meeting day: cancel it; its requests move on.
      await cancelPanelInTransaction(trx, deps, actor.user.id, panel, "The panel schedule changed", now);
      continue;
    }
    if (detailsChanged) {
      await updatePanelIfUnchanged(trx, panel.id, panel.version, {
        at: now,
        startsAt: occurrence.startsAt,
        endsAt: occurrence.endsAt,
        cutoffAt: occurrence.cutoffAt,
        venue: after.venue,
        meetingLink: after.meeting_link,
        chairUserId: after.chair_user_id,
        bumpInvite: true,
      });
    }
    await addAttendees(trx, panel.id, await coreAttendees(trx, after));
    await sendPanelInvites(trx, panel.id, detailsChanged ? "updated" : "new", appUrlOf(deps), now);
    if (detailsChanged) await refreshSlotInvites(trx, panel.id, appUrlOf(deps), now);
  }
}
