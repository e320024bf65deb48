import { ukDate } from "../lib/dates";
import { insertAuditEvent } from "../../db/queries/audit";
import { findAreaById, listAreas } from "../../db/queries/organisation";
import { findUserById, listAreaPeople } from "../../db/queries/users";
import { assertOffered } from "./panel-access.server";
import type { Database } from "../../db/connect";
import { addAttendees } from "../../db/queries/attendance";
import {
  countWaiting,
  insertExtraordinaryRequest,
  listExtraordinaryRequests,
  lockExtraordinaryRequest,
  settleExtraordinaryRequest,
} from "../../db/queries/extraordinary";
import { findSchedule } from "../../db/queries/schedules";
import { insertPanel, lockPanel, markAgendaSent } from "../../db/queries/panels";
import { listMovableRequests } from "../../db/queries/agenda";
import { extraordinaryCalledEmail, extraordinaryDeclinedEmail } from "../../emails/extraordinary-called";
import { enqueueEmail } from "../../emails/outbox";
import { INITIAL_PANEL } from "../../machines/panel/panel.machine";
import type { z } from "zod";
import type { extraordinarySchema } from "../forms/panel";
import { isoFromParts } from "../lib/dates";
import { wallClock } from "../lib/agenda-slots";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { FormError } from "../lib/errors";
import { forbidden, notFound } from "./authorise.server";
import { refreshSlotInvites, sendPanelInvites } from "./panel-invites.server";
import { coreAttendees } from "./panel-generation.server";
import { drivePanel } from "./panel-lifecycle.server";
import { moveItemToPanel } from "./agenda.server";
import { actsForArea, may } from "../lib/policy";

/**
 * Extraordinary panels: a service manager calls one at short notice; a team
 * manager asks and a service manager approves or declines with a reason.
 */

function assertArea(actor: Actor, areaId: number) {
  if (!may(actor.user, "managePanels")) throw forbidden();
  if (!actsForArea(actor.user, areaId)) throw new FormError({ areaId: "Select your own area" });
}

/** What the form needs: areas, and per area the waiting requests and the step-down count. */
export async function extraordinaryOptions(deps: Deps, actor: Actor, areaId: number | null) {
  if (!may(actor.user, "managePanels")) throw forbidden();
  const areas = (await listAreas(deps.db)).filter((a) => actsForArea(actor.user, a.id));
  const chosen = areas.find((a) => a.id === areaId) ?? (areas.length === 1 ? areas[0] : null);
  const waiting = chosen ? await countWaiting(deps.db, chosen.id) : null;
  const requests = chosen ? await listMovableRequests(deps.db, chosen.id, 0) : [];
  const pending = await listExtraordinaryRequests(deps.db, actor.user);
  // Who may be invited: the area's people, with the core members ticked and those who made waiting requests pointed out.
  const [people, schedule] = chosen
    ? await Promise.all([listAreaPeople(deps.db, chosen.id), findSchedule(deps.db, chosen.id)])
    : [[], null];
  const core = new Set(schedule ? (await coreAttendees(deps.db, schedule)).map((c) => c.userId) : []);
  const requesters = new Set(requests.map((r) => r.submitted_by_user_id));
  const invitees = people
    .map((p) => ({ ...p, core: core.has(p.id), advised: !core.has(p.id) && requesters.has(p.id) }))
    .sort((a, b) => Number(b.core) - Number(a.core) || Number(b.advised) - Number(a.advised) || a.name.localeCompare(b.name));
  return { areas, area: chosen, waiting, requests, pending, invitees, mayCall: may(actor.user, "callExtraordinaryPanels") };
}

function timesOf(input: z.output<ReturnType<typeof extraordinarySchema>>) {
  const date = isoFromParts(input as Record<string, unknown>, "meeting");
  if (!date) throw new FormError({ meetingDay: "The date of the panel must be a real date" });
  return { date, startsAt: wallClock(date, input.startTime), endsAt: wallClock(date, input.endTime) };
}

/** A service manager calls the panel: created, chosen requests moved onto it, everyone invited at once. */
export async function callExtraordinaryPanel(deps: Deps, actor: Actor, input: z.output<ReturnType<typeof extraordinarySchema>>) {
  if (!may(actor.user, "callExtraordinaryPanels")) throw forbidden();
  assertArea(actor, input.areaId);
  const times = timesOf(input);
  if (times.startsAt <= deps.clock.now()) throw new FormError({ startTime: "The panel must start in the future" });
  return deps.db.transaction().execute((trx) =>
    createExtraordinary(trx, deps, actor, {
      areaId: input.areaId,
      ...times,
      reason: input.reason,
      itemIds: input.requestIds,
      venue: input.venue ?? null,
      meetingLink: input.meetingLink ?? null,
      attendeeIds: input.attendeesShown ? input.attendeeIds : null,
    }),
  );
}

async function createExtraordinary(
  trx: Database,
  deps: Deps,
  actor: Actor,
  p: {
    areaId: number;
    date: string;
    startsAt: Date;
    endsAt: Date;
    reason: string;
    itemIds: number[];
    venue: string | null;
    meetingLink: string | null;
    /** The people chosen to invite; null: the area's core members. */
    attendeeIds: number[] | null;
  },
) {
  const now = deps.clock.now();
  if (p.attendeeIds) {
    await assertOffered(trx, p.areaId, { userIds: p.attendeeIds }).catch(() => {
      throw new FormError({ attendeeIds: "Choose people from the list" });
    });
  }
  const schedule = await findSchedule(trx, p.areaId);
  const inserted = await insertPanel(trx, {
    areaId: p.areaId,
    kind: "extraordinary",
    meetingDate: p.date,
    movedFrom: null,
    startsAt: p.startsAt,
    endsAt: p.endsAt,
    // At short notice the agenda stays open until the meeting starts.
    cutoffAt: p.startsAt,
    chairUserId: schedule?.chair_user_id ?? (actor.user.role === "team_manager" ? actor.user.id : null),
    venue: p.venue ?? schedule?.venue ?? null,
    meetingLink: p.meetingLink ?? schedule?.meeting_link ?? null,
    reason: p.reason,
    calledByUserId: actor.user.id,
    lifecycle: INITIAL_PANEL,
    status: "scheduled",
    at: now,
  });
  const panel = (await lockPanel(trx, inserted!.id))!;
  await drivePanel(trx, panel, { type: "OPEN_AGENDA", at: now.toISOString() }, { actorUserId: actor.user.id });
  // The panel's chair first (the schedule's, or the team manager who called it), core members, and whoever called it.
  const core = p.attendeeIds
    ? p.attendeeIds.filter((id) => id !== panel.chair_user_id).map((userId) => ({ userId, role: "core" as const }))
    : schedule
      ? (await coreAttendees(trx, schedule)).filter((c) => c.role === "core")
      : [];
  const chair = panel.chair_user_id ? [{ userId: panel.chair_user_id, role: "chair" as const }] : [];
  await addAttendees(trx, panel.id, [...chair, ...core, { userId: actor.user.id, role: "core" }]);
  // Called for the requests it takes: its agenda goes out with it.
  await markAgendaSent(trx, panel.id, now);
  for (const itemId of p.itemIds) await moveItemToPanel(trx, deps, itemId, panel, now, { late: false });
  // Called at once: the invite goes out with the news.
  const email = extraordinaryCalledEmail({
    areaName: (await findAreaById(trx, p.areaId))!.name,
    startsAt: p.startsAt,
    endsAt: p.endsAt,
    reason: p.reason,
    panelUrl: `${appUrlOf(deps)}/panels/${panel.id}`,
  });
  await sendPanelInvites(trx, panel.id, "new", appUrlOf(deps), now, { email, kind: "extraordinary_called" });
  await refreshSlotInvites(trx, panel.id, appUrlOf(deps), now);
  await insertAuditEvent(trx, {
    at: now,
    actorUserId: actor.user.id,
    action: "panel.extraordinary_called",
    recordType: "panel",
    recordId: panel.id,
    ip: actor.ip,
    detail: { areaId: p.areaId, items: p.itemIds.length },
  });
  return panel.id;
}

/** A team manager asks for an extraordinary panel; service managers decide. */
export async function requestExtraordinaryPanel(deps: Deps, actor: Actor, input: z.output<ReturnType<typeof extraordinarySchema>>) {
  assertArea(actor, input.areaId);
  const times = timesOf(input);
  if (times.startsAt <= deps.clock.now()) throw new FormError({ startTime: "The panel must start in the future" });
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const { id } = await insertExtraordinaryRequest(trx, {
      areaId: input.areaId,
      requestedBy: actor.user.id,
      startsAt: times.startsAt,
      endsAt: times.endsAt,
      reason: input.reason,
      requestIds: input.requestIds,
      attendeeIds: input.attendeesShown ? input.attendeeIds : null,
      at: now,
    });
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: "panel.extraordinary_requested",
      recordType: "extraordinary_request",
      recordId: id,
      ip: actor.ip,
    });
    return id;
  });
}

export async function decideExtraordinaryRequest(
  deps: Deps,
  actor: Actor,
  id: number,
  decision: { approve: true } | { approve: false; reason: string },
) {
  if (!may(actor.user, "callExtraordinaryPanels")) throw forbidden();
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const request = await lockExtraordinaryRequest(trx, id);
    if (!request) throw notFound();
    assertArea(actor, request.area_id);
    if (request.status !== "pending") throw new FormError({ form: "This request has already been decided" });
    if (decision.approve) {
      if (new Date(request.starts_at) <= now)
        throw new FormError({ form: "The requested time has passed: decline it and call a new panel" });
      const movable = await listMovableRequests(trx, request.area_id, 0);
      const itemIds = movable.filter((m) => request.request_ids.includes(m.id)).map((m) => m.id);
      const panelId = await createExtraordinary(trx, deps, actor, {
        areaId: request.area_id,
        date: ukDate(new Date(request.starts_at)),
        startsAt: new Date(request.starts_at),
        endsAt: new Date(request.ends_at),
        reason: request.reason,
        itemIds,
        venue: null,
        meetingLink: null,
        attendeeIds: request.attendee_user_ids,
      });
      await settleExtraordinaryRequest(trx, id, { status: "approved", by: actor.user.id, at: now, panelId });
      return panelId;
    }
    await settleExtraordinaryRequest(trx, id, { status: "declined", by: actor.user.id, at: now, declineReason: decision.reason });
    const requester = await findUserById(trx, request.requested_by_user_id);
    const area = (await findAreaById(trx, request.area_id))!;
    if (requester?.active) {
      await enqueueEmail(
        trx,
        {
          ...extraordinaryDeclinedEmail({ areaName: area.name, reason: decision.reason, url: `${appUrlOf(deps)}/panels/extraordinary` }),
          key: `extraordinary-request:${id}:declined`,
          kind: "extraordinary_declined",
          to: requester.email,
        },
        now,
      );
    }
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: "panel.extraordinary_declined",
      recordType: "extraordinary_request",
      recordId: id,
      ip: actor.ip,
    });
    return null;
  });
}
