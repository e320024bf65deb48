import { DateTime } from "luxon";
import { insertAuditEvent } from "../../db/queries/audit";
import { listUnplacedRequests } from "../../db/queries/requests";
import { findAreaById, listAgencies } from "../../db/queries/organisation";
import type { Database } from "../../db/connect";
import { addAttendees } from "../../db/queries/attendance";
import { caseAgencyIds, insertAgendaItem, listAgendaItems, updateAgendaItem, nextPosition } from "../../db/queries/agenda";
import { findSchedule, listAllSchedules, listSchedules, upsertSchedule } from "../../db/queries/schedules";
import { insertPanel, insertPanelTransition, listOpenPanels, listPanelsDueForClock, lockPanel, updatePanelIfUnchanged, type PanelRow } from "../../db/queries/panels";
import { listAreaPeople, listUsersOfAgencies } from "../../db/queries/users";
import type { PanelSchedulesTable } from "../../db/schema";
import { applyPanelEvent, INITIAL_PANEL, type PanelEvent, type PersistedPanel } from "../../machines/panel/panel.machine";
import { isoFromParts } from "../forms/request";
import type { scheduleSchema } from "../forms/panel";
import { todayIn } from "../lib/dates";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { ConflictError, FormError } from "../lib/forms";
import { panelOccurrences, panelForSubmission, type PanelSchedule } from "../lib/panel-schedule";
import { forbidden } from "./authorise.server";
import { cancelSlotInvites, refreshSlotInvites, sendPanelInvites } from "./panel-invites.server";
import type { z } from "zod";

/** Panels exist at least this far ahead, so people can plan and requests can be placed. */
export const WEEKS_AHEAD = 13;
/** An agenda opens this long before its cut-off. */
export const AGENDA_OPENS_BEFORE_CUTOFF_MS = 21 * 24 * 3600_000;

const SCHEDULE_EDITORS = ["admin", "service_manager"];



function toSchedule(row: Pick<PanelSchedulesTable, "anchor_date" | "weekday" | "interval_weeks" | "start_time" | "end_time" | "cutoff_days_before" | "cutoff_time">): PanelSchedule {
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

export async function listPanelSchedules(deps: Deps, actor: Actor) {
  if (!SCHEDULE_EDITORS.includes(actor.user.role)) throw forbidden();
  return listSchedules(deps.db);
}

export async function scheduleForEdit(deps: Deps, actor: Actor, areaId: number) {
  if (!SCHEDULE_EDITORS.includes(actor.user.role)) throw forbidden();
  const area = await findAreaById(deps.db, areaId);
  if (!area) return null;
  const schedule = await findSchedule(deps.db, areaId);
  const people = await listAreaPeople(deps.db, areaId);
  const agencies = await listAgencies(deps.db, { activeOnly: true });
  return { area, schedule: schedule ?? null, people, agencies, today: todayIn(deps) };
}

/**
 * Saves an area's schedule, then brings its future panels in line: new ones
 * generated, changed time, place, link or chair sent as invite updates.
 */
export async function saveSchedule(deps: Deps, actor: Actor, areaId: number, input: z.output<ReturnType<typeof scheduleSchema>>) {
  if (!SCHEDULE_EDITORS.includes(actor.user.role)) throw forbidden();
  const now = deps.clock.now();
  const anchor = isoFromParts(input as Record<string, unknown>, "first");
  if (!anchor) throw new FormError({ firstDay: "The date of the first panel must be a real date" });
  const weekday = DateTime.fromISO(anchor).toFormat("ccc").slice(0, 2).toUpperCase();
  if (weekday !== input.weekday) {
    throw new FormError({ firstDay: "The first panel must fall on the day the panel meets" });
  }
  return deps.db.transaction().execute(async (trx) => {
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
    if (!saved) throw new ConflictError({ status: "changed", version: before?.version ?? 0, changes: ["someone else saved this schedule"] });
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

type ScheduleRow = NonNullable<Awaited<ReturnType<typeof findSchedule>>>;

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
  const wanted = new Map(
    panelOccurrences(toSchedule(after), todayIn(deps), WEEKS_AHEAD).map((o) => [o.date, o]),
  );
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

/**
 * Runs one lifecycle event on a locked panel and records it; refuses an event
 * the panel cannot take and a stale version.
 */
export async function drivePanel(
  trx: Database,
  panel: PanelRow,
  event: PanelEvent,
  options: { actorUserId: number | null; expectedVersion?: number; reason?: string | null; extra?: { minutes?: unknown } },
) {
  if (options.expectedVersion !== undefined && panel.version !== options.expectedVersion) {
    throw new ConflictError({ status: panel.status, version: panel.version, changes: [] });
  }
  const step = applyPanelEvent(panel.lifecycle as unknown as PersistedPanel, event);
  if (!step.ok) return null;
  const written = await updatePanelIfUnchanged(trx, panel.id, panel.version, {
    at: new Date(event.at),
    status: step.to,
    lifecycle: step.panel,
    ...(event.type === "CANCEL" ? { cancelledReason: step.panel.context.cancelledReason, bumpInvite: true } : {}),
    ...(options.extra?.minutes !== undefined ? { minutes: options.extra.minutes } : {}),
  });
  if (!written) throw new ConflictError({ status: panel.status, version: panel.version + 1, changes: [] });
  await insertPanelTransition(trx, {
    panelId: panel.id,
    at: new Date(event.at),
    actorUserId: options.actorUserId,
    event: event.type,
    from: step.from,
    to: step.to,
    reason: options.reason ?? null,
  });
  panel.version += 1;
  panel.status = step.to;
  panel.lifecycle = step.panel as unknown as Record<string, unknown>;
  return step;
}

/** Cancels a panel inside a transaction: invites cancelled, its requests moved to the next panel. */
export async function cancelPanelInTransaction(trx: Database, deps: Deps, actorUserId: number | null, panel: PanelRow, reason: string, now: Date) {
  const step = await drivePanel(trx, panel, { type: "CANCEL", at: now.toISOString(), reason }, { actorUserId, reason });
  if (!step) return false;
  await moveListedItems(trx, deps, panel, now);
  await sendPanelInvites(trx, panel.id, "cancelled", appUrlOf(deps), now);
  return true;
}

/** Every request still listed on a panel moves to the next panel that meets (cancelled panel). */
export async function moveListedItems(trx: Database, deps: Deps, panel: PanelRow, now: Date) {
  const items = await listAgendaItems(trx, panel.id, ["listed"]);
  for (const item of items) {
    await updateAgendaItem(trx, item.id, { status: "moved" });
    await placeRequest(
      trx,
      deps,
      { id: item.request_id, caseId: item.case_id, areaId: panel.area_id, submittedAt: new Date(item.submitted_at ?? now) },
      { after: { panelId: panel.id, startsAt: new Date(panel.starts_at) } },
    );
  }
  await cancelSlotInvites(trx, panel.id, items.map((i) => i.id), appUrlOf(deps), now);
}

/**
 * Puts a newly submitted request on its area's next panel whose cut-off has
 * not passed (ADR 006). Runs in the submission's transaction.
 */
export async function placeRequest(
  trx: Database,
  deps: Deps,
  request: { id: number; caseId: number; areaId: number; submittedAt: Date },
  options: { after?: { panelId: number; startsAt: Date }; late?: boolean } = {},
) {
  let panels = await listOpenPanels(trx, request.areaId, options.after?.startsAt ?? request.submittedAt);
  if (!panels.length) {
    const schedule = await findSchedule(trx, request.areaId);
    if (schedule) await generatePanels(trx, deps, schedule, deps.clock.now());
    panels = await listOpenPanels(trx, request.areaId, options.after?.startsAt ?? request.submittedAt);
  }
  const routine = panels.filter((p) => p.kind === "routine" && p.id !== options.after?.panelId);
  // Deferred or moved items go to the next panel that meets, whatever its cut-off.
  const panel = options.after
    ? (routine[0] ?? null)
    : (panelForSubmission(
        routine.map((p) => ({ ...p, cutoffAt: new Date(p.cutoff_at) })),
        request.submittedAt,
      ) ?? null);
  if (!panel) return null;
  const agencies = await caseAgencyIds(trx, request.caseId);
  await insertAgendaItem(trx, {
    panelId: panel.id,
    requestId: request.id,
    caseId: request.caseId,
    position: await nextPosition(trx, panel.id),
    invitedAgencyIds: agencies.map((a) => a.agency_id),
    late: options.late ?? false,
    at: deps.clock.now(),
  });
  await refreshSlotInvites(trx, panel.id, appUrlOf(deps), deps.clock.now());
  return panel;
}

/** Requests that waited while their area had no panels (no schedule yet) go on the panels now. */
async function placeWaitingRequests(trx: Database, deps: Deps, areaId: number) {
  const waiting = await listUnplacedRequests(trx, areaId);
  for (const r of waiting) {
    if (!r.case_id) continue;
    await placeRequest(trx, deps, { id: r.id, caseId: r.case_id, areaId, submittedAt: new Date(r.submitted_at ?? deps.clock.now()) });
  }
}

/**
 * What the clock does to panels: generates the weeks ahead for every schedule
 * and opens or closes agendas whose time has come. Safe to run from several
 * workers at once (row locks, idempotent inserts).
 */
export async function runPanelHousekeeping(deps: Deps) {
  const now = deps.clock.now();
  let generated = 0;
  for (const schedule of await listAllSchedules(deps.db)) {
    generated += await deps.db.transaction().execute((trx) => generatePanels(trx, deps, schedule, now));
  }
  let moved = 0;
  for (const due of await listPanelsDueForClock(deps.db, now, AGENDA_OPENS_BEFORE_CUTOFF_MS)) {
    await deps.db.transaction().execute(async (trx) => {
      const panel = await lockPanel(trx, due.id);
      if (!panel) return;
      if (panel.status === "scheduled" && new Date(panel.cutoff_at).getTime() - AGENDA_OPENS_BEFORE_CUTOFF_MS <= now.getTime()) {
        if (await drivePanel(trx, panel, { type: "OPEN_AGENDA", at: now.toISOString() }, { actorUserId: null })) moved++;
      }
      if (panel.status === "agendaOpen" && new Date(panel.cutoff_at) <= now) {
        if (await drivePanel(trx, panel, { type: "CUT_OFF", at: now.toISOString() }, { actorUserId: null })) moved++;
      }
    });
  }
  return { generated, moved };
}

