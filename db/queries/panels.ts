import { sql, type ExpressionBuilder } from "kysely";
import type { Database } from "../connect";
import type { AgendaItemStatus, Attendance, DB, PanelKind, PanelSchedulesTable, PanelStatus } from "../schema";
import type { Viewer } from "./cases";
import { itemInviteStands } from "./item-invites";

/**
 * Which panels a person may see: managers their area's (all when they have no
 * area); chairs and core members the panels they are invited to; someone
 * invited for one item only while that invitation stands (and then only that
 * item: see `listItemIdsInvited`).
 */
export function panelVisibleTo(viewer: Viewer) {
  return (eb: ExpressionBuilder<DB, "panels">) => {
    if (viewer.role === "team_manager" || viewer.role === "service_manager") {
      return viewer.areaId === null ? eb.lit(true) : eb("panels.area_id", "=", viewer.areaId);
    }
    if (viewer.role === "admin") return eb.lit(false);
    return eb.or([
      eb.exists(
        eb
          .selectFrom("panel_attendees")
          .select("panel_attendees.id")
          .whereRef("panel_attendees.panel_id", "=", "panels.id")
          .where("panel_attendees.user_id", "=", viewer.id)
          .where("panel_attendees.role", "in", ["chair", "core"]),
      ),
      eb.exists(
        eb
          .selectFrom("agenda_items")
          .select("agenda_items.id")
          .whereRef("agenda_items.panel_id", "=", "panels.id")
          .where(itemInviteStands(viewer.id)),
      ),
    ]);
  };
}

/** Whether someone is invited to the whole of a panel (as its chair or a core member). */
export async function isWholePanelAttendee(db: Database, panelId: number, userId: number) {
  const row = await db
    .selectFrom("panel_attendees")
    .select("id")
    .where("panel_id", "=", panelId)
    .where("user_id", "=", userId)
    .where("role", "in", ["chair", "core"])
    .executeTakeFirst();
  return Boolean(row);
}

// ---- schedules -------------------------------------------------------------

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

// ---- panels ----------------------------------------------------------------

const panelColumns = [
  "panels.id",
  "panels.area_id",
  "panels.kind",
  "panels.status",
  "panels.lifecycle",
  "panels.meeting_date",
  "panels.moved_from",
  "panels.starts_at",
  "panels.ends_at",
  "panels.cutoff_at",
  "panels.chair_user_id",
  "panels.venue",
  "panels.meeting_link",
  "panels.reason",
  "panels.called_by_user_id",
  "panels.cancelled_reason",
  "panels.invite_sequence",
  "panels.version",
  "panels.minutes",
  "panels.created_at",
  "panels.updated_at",
] as const;

export interface NewPanel {
  areaId: number;
  kind: PanelKind;
  meetingDate: string;
  movedFrom: string | null;
  startsAt: Date;
  endsAt: Date;
  cutoffAt: Date;
  chairUserId: number | null;
  venue: string | null;
  meetingLink: string | null;
  reason?: string | null;
  calledByUserId?: number | null;
  lifecycle: unknown;
  status: PanelStatus;
  at: Date;
}

/** Inserts a panel; a routine panel already generated for that date is left alone (returns undefined). */
export function insertPanel(db: Database, p: NewPanel) {
  return db
    .insertInto("panels")
    .values({
      area_id: p.areaId,
      kind: p.kind,
      status: p.status,
      lifecycle: JSON.stringify(p.lifecycle),
      meeting_date: p.meetingDate,
      moved_from: p.movedFrom,
      starts_at: p.startsAt,
      ends_at: p.endsAt,
      cutoff_at: p.cutoffAt,
      chair_user_id: p.chairUserId,
      venue: p.venue,
      meeting_link: p.meetingLink,
      reason: p.reason ?? null,
      called_by_user_id: p.calledByUserId ?? null,
      created_at: p.at,
      updated_at: p.at,
    })
    .onConflict((oc) =>
      oc
        .columns(["area_id", "meeting_date"])
        .where("kind", "=", "routine")
        .where("status", "<>", "cancelled")
        .doNothing(),
    )
    .returning("id")
    .executeTakeFirst();
}

export type PanelRow = NonNullable<Awaited<ReturnType<typeof lockPanel>>>;

export function findPanel(db: Database, id: number) {
  return db
    .selectFrom("panels")
    .innerJoin("areas", "areas.id", "panels.area_id")
    .leftJoin("users as chair", "chair.id", "panels.chair_user_id")
    .select([...panelColumns, "areas.name as area_name", "chair.name as chair_name", "chair.email as chair_email"])
    .where("panels.id", "=", id)
    .executeTakeFirst();
}

export function findVisiblePanel(db: Database, viewer: Viewer, id: number) {
  return db
    .selectFrom("panels")
    .innerJoin("areas", "areas.id", "panels.area_id")
    .leftJoin("users as chair", "chair.id", "panels.chair_user_id")
    .select([...panelColumns, "areas.name as area_name", "chair.name as chair_name", "chair.email as chair_email"])
    .where("panels.id", "=", id)
    .where(panelVisibleTo(viewer))
    .executeTakeFirst();
}

export function lockPanel(db: Database, id: number) {
  return db.selectFrom("panels").select(panelColumns).where("id", "=", id).forUpdate().executeTakeFirst();
}

/** Panels a viewer may see, each with how many requests are on its agenda. */
function panelListQuery(db: Database, viewer: Viewer) {
  return db
    .selectFrom("panels")
    .innerJoin("areas", "areas.id", "panels.area_id")
    .select([
      ...panelColumns,
      "areas.name as area_name",
      (eb) =>
        eb
          .selectFrom("agenda_items")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("agenda_items.panel_id", "=", "panels.id")
          .where("agenda_items.status", "in", ["listed", "decided"])
          .as("item_count"),
    ])
    .where(panelVisibleTo(viewer));
}

export function listPanelsForViewer(db: Database, viewer: Viewer, options: { from: Date; until?: Date; areaId?: number }) {
  let query = panelListQuery(db, viewer).where("panels.ends_at", ">=", options.from);
  if (options.until) query = query.where("panels.starts_at", "<", options.until);
  if (options.areaId) query = query.where("panels.area_id", "=", options.areaId);
  return query.orderBy("panels.starts_at").execute();
}

export function listRecentPanelsForViewer(db: Database, viewer: Viewer, before: Date, limit: number) {
  return panelListQuery(db, viewer).where("panels.ends_at", "<", before).orderBy("panels.starts_at", "desc").limit(limit).execute();
}

/** Active people who work in an area (or across all areas), for choosing owners and invitees. */
export function listAreaPeople(db: Database, areaId: number) {
  return db
    .selectFrom("users")
    .innerJoin("agencies", "agencies.id", "users.agency_id")
    .select(["users.id", "users.name", "users.role", "agencies.name as agency_name"])
    .where("users.active", "=", true)
    .where("users.role", "<>", "admin")
    .where((eb) => eb.or([eb("users.area_id", "=", areaId), eb("users.area_id", "is", null)]))
    .orderBy("users.name")
    .execute();
}

/** Panels in an area that can still take requests, soonest cut-off first. */
export function listOpenPanels(db: Database, areaId: number, after: Date) {
  return db
    .selectFrom("panels")
    .select(panelColumns)
    .where("area_id", "=", areaId)
    .where("status", "in", ["scheduled", "agendaOpen", "agendaClosed"])
    .where("starts_at", ">", after)
    .orderBy("cutoff_at")
    .orderBy("starts_at")
    .execute();
}

/** Panels whose lifecycle the clock should move on (agenda opening or closing). */
export function listPanelsDueForClock(db: Database, now: Date, openWindowMs: number) {
  return db
    .selectFrom("panels")
    .select(panelColumns)
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", "scheduled"), eb("cutoff_at", "<=", new Date(now.getTime() + openWindowMs))]),
        eb.and([eb("status", "=", "agendaOpen"), eb("cutoff_at", "<=", now)]),
      ]),
    )
    .execute();
}

export async function updatePanelIfUnchanged(
  db: Database,
  id: number,
  expectedVersion: number,
  changes: Partial<{
    status: PanelStatus;
    lifecycle: unknown;
    cancelledReason: string | null;
    minutes: unknown;
    startsAt: Date;
    endsAt: Date;
    meetingDate: string;
    cutoffAt: Date;
    venue: string | null;
    meetingLink: string | null;
    chairUserId: number | null;
    bumpInvite: boolean;
  }> & { at: Date },
) {
  const result = await db
    .updateTable("panels")
    .set({
      updated_at: changes.at,
      version: sql`version + 1`,
      ...(changes.status ? { status: changes.status } : {}),
      ...(changes.lifecycle !== undefined ? { lifecycle: JSON.stringify(changes.lifecycle) } : {}),
      ...(changes.cancelledReason !== undefined ? { cancelled_reason: changes.cancelledReason } : {}),
      ...(changes.minutes !== undefined ? { minutes: JSON.stringify(changes.minutes) } : {}),
      ...(changes.startsAt ? { starts_at: changes.startsAt } : {}),
      ...(changes.endsAt ? { ends_at: changes.endsAt } : {}),
      ...(changes.meetingDate ? { meeting_date: changes.meetingDate } : {}),
      ...(changes.cutoffAt ? { cutoff_at: changes.cutoffAt } : {}),
      ...(changes.venue !== undefined ? { venue: changes.venue } : {}),
      ...(changes.meetingLink !== undefined ? { meeting_link: changes.meetingLink } : {}),
      ...(changes.chairUserId !== undefined ? { chair_user_id: changes.chairUserId } : {}),
      ...(changes.bumpInvite ? { invite_sequence: sql`invite_sequence + 1` } : {}),
    })
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function insertPanelTransition(
  db: Database,
  t: { panelId: number; at: Date; actorUserId: number | null; event: string; from: string; to: string; reason?: string | null },
) {
  return db
    .insertInto("panel_transitions")
    .values({
      panel_id: t.panelId,
      at: t.at,
      actor_user_id: t.actorUserId,
      event: t.event,
      from_status: t.from,
      to_status: t.to,
      reason: t.reason ?? null,
    })
    .execute();
}

// ---- attendees -------------------------------------------------------------

export async function addAttendees(db: Database, panelId: number, people: Array<{ userId: number; role: "chair" | "core" | "item" }>) {
  if (!people.length) return;
  await db
    .insertInto("panel_attendees")
    .values(people.map((p) => ({ panel_id: panelId, user_id: p.userId, role: p.role })))
    .onConflict((oc) => oc.columns(["panel_id", "user_id"]).doNothing())
    .execute();
}

export function listAttendees(db: Database, panelIds: number[]) {
  if (!panelIds.length) return Promise.resolve([]);
  return db
    .selectFrom("panel_attendees")
    .innerJoin("users", "users.id", "panel_attendees.user_id")
    .innerJoin("agencies", "agencies.id", "users.agency_id")
    .select([
      "panel_attendees.id",
      "panel_attendees.panel_id",
      "panel_attendees.user_id",
      "panel_attendees.role",
      "panel_attendees.attendance",
      "users.name",
      "users.email",
      "users.active",
      "agencies.name as agency_name",
      "agencies.kind as agency_kind",
    ])
    .where("panel_attendees.panel_id", "in", panelIds)
    .orderBy("panel_attendees.role")
    .orderBy("users.name")
    .execute();
}

export async function setAttendance(db: Database, panelId: number, marks: Array<{ attendeeId: number; attendance: Attendance | null }>) {
  for (const mark of marks) {
    await db
      .updateTable("panel_attendees")
      .set({ attendance: mark.attendance })
      .where("id", "=", mark.attendeeId)
      .where("panel_id", "=", panelId)
      .execute();
  }
}

// ---- agenda ----------------------------------------------------------------

/** The whole agenda in one query: no query per item. */
export function listAgendaItems(db: Database, panelId: number, statuses: AgendaItemStatus[] = ["listed", "decided"]) {
  return db
    .selectFrom("agenda_items")
    .innerJoin("requests", "requests.id", "agenda_items.request_id")
    .innerJoin("cases", "cases.id", "agenda_items.case_id")
    .innerJoin("users as submitter", "submitter.id", "requests.submitted_by_user_id")
    .innerJoin("agencies as agency", "agency.id", "requests.agency_id")
    .select([
      "agenda_items.id",
      "agenda_items.panel_id",
      "agenda_items.request_id",
      "agenda_items.case_id",
      "agenda_items.status",
      "agenda_items.position",
      "agenda_items.slot_minutes",
      "agenda_items.pinned_start",
      "agenda_items.invited_agency_ids",
      "agenda_items.invited_user_ids",
      "agenda_items.late",
      "agenda_items.invite_sequence",
      "agenda_items.invite_sent_start",
      "agenda_items.invite_sent_user_ids",
      "requests.kind",
      "requests.status as request_status",
      "requests.bounce_back",
      "requests.submitted_at",
      "cases.reference",
      "cases.status as case_status",
      "cases.version as case_version",
      "cases.risk_holder",
      "cases.lead_practitioner",
      "submitter.name as submitted_by",
      "agency.name as agency_name",
    ])
    .where("agenda_items.panel_id", "=", panelId)
    .where("agenda_items.status", "in", statuses)
    .orderBy("agenda_items.position")
    .orderBy("agenda_items.id")
    .execute();
}

export type AgendaItemRow = Awaited<ReturnType<typeof listAgendaItems>>[number];

export function findAgendaItem(db: Database, id: number) {
  return db.selectFrom("agenda_items").selectAll().where("id", "=", id).executeTakeFirst();
}

export function findListedItemForRequest(db: Database, requestId: number) {
  return db
    .selectFrom("agenda_items")
    .selectAll()
    .where("request_id", "=", requestId)
    .where("status", "=", "listed")
    .executeTakeFirst();
}

/** The panel a waiting request is listed on, with its area: what the requester is told. */
export function findPanelForWaitingRequest(db: Database, requestId: number) {
  return db
    .selectFrom("agenda_items")
    .innerJoin("panels", "panels.id", "agenda_items.panel_id")
    .innerJoin("areas", "areas.id", "panels.area_id")
    .select(["panels.id", "panels.kind", "panels.meeting_date", "panels.starts_at", "panels.ends_at", "areas.name as area_name"])
    .where("agenda_items.request_id", "=", requestId)
    .where("agenda_items.status", "=", "listed")
    .executeTakeFirst();
}

export async function nextPosition(db: Database, panelId: number) {
  const row = await db
    .selectFrom("agenda_items")
    .select((eb) => eb.fn.max("position").as("last"))
    .where("panel_id", "=", panelId)
    .executeTakeFirst();
  return Number(row?.last ?? 0) + 1;
}

export function insertAgendaItem(
  db: Database,
  item: { panelId: number; requestId: number; caseId: number; position: number; invitedAgencyIds: number[]; late: boolean; at: Date },
) {
  return db
    .insertInto("agenda_items")
    .values({
      panel_id: item.panelId,
      request_id: item.requestId,
      case_id: item.caseId,
      status: "listed",
      position: item.position,
      invited_agency_ids: JSON.stringify(item.invitedAgencyIds),
      late: item.late,
      created_at: item.at,
    })
    .returning(["id"])
    .executeTakeFirstOrThrow();
}

export function updateAgendaItem(
  db: Database,
  id: number,
  changes: Partial<{
    status: AgendaItemStatus;
    position: number;
    slotMinutes: number;
    pinnedStart: string | null;
    invitedAgencyIds: number[];
    invitedUserIds: number[];
    inviteSent: { start: Date | null; userIds: number[]; bump: boolean };
  }>,
) {
  return db
    .updateTable("agenda_items")
    .set({
      ...(changes.status ? { status: changes.status } : {}),
      ...(changes.position !== undefined ? { position: changes.position } : {}),
      ...(changes.slotMinutes !== undefined ? { slot_minutes: changes.slotMinutes } : {}),
      ...(changes.pinnedStart !== undefined ? { pinned_start: changes.pinnedStart } : {}),
      ...(changes.invitedAgencyIds ? { invited_agency_ids: JSON.stringify(changes.invitedAgencyIds) } : {}),
      ...(changes.invitedUserIds ? { invited_user_ids: JSON.stringify(changes.invitedUserIds) } : {}),
      ...(changes.inviteSent
        ? {
            invite_sent_start: changes.inviteSent.start,
            invite_sent_user_ids: JSON.stringify(changes.inviteSent.userIds),
            ...(changes.inviteSent.bump ? { invite_sequence: sql`invite_sequence + 1` } : {}),
          }
        : {}),
    })
    .where("id", "=", id)
    .execute();
}

/** Requests in an area listed on later panels that have not started: the chair may pull them forward. */
/** Requests listed on the area's other open panels; with `laterThan`, only those on panels after that time. */
export function listMovableRequests(db: Database, areaId: number, excludePanelId: number, laterThan?: Date | string) {
  let query = db
    .selectFrom("agenda_items")
    .innerJoin("panels", "panels.id", "agenda_items.panel_id")
    .innerJoin("requests", "requests.id", "agenda_items.request_id")
    .innerJoin("cases", "cases.id", "agenda_items.case_id")
    .innerJoin("agencies", "agencies.id", "requests.agency_id")
    .select([
      "agenda_items.id",
      "agenda_items.request_id",
      "requests.kind",
      "requests.bounce_back",
      "requests.submitted_at",
      "cases.reference",
      "agencies.name as agency_name",
      "panels.id as panel_id",
      "panels.meeting_date",
      "panels.kind as panel_kind",
    ])
    .where("panels.area_id", "=", areaId)
    .where("panels.id", "<>", excludePanelId)
    .where("panels.status", "in", ["scheduled", "agendaOpen", "agendaClosed"])
    .where("agenda_items.status", "=", "listed");
  if (laterThan !== undefined) query = query.where("panels.starts_at", ">", new Date(laterThan));
  return query.orderBy("requests.submitted_at").execute();
}

/** Users (active) of the given agencies in an area, for slot invites. */
export function listUsersOfAgencies(db: Database, agencyIds: number[], areaId: number) {
  if (!agencyIds.length) return Promise.resolve([]);
  return db
    .selectFrom("users")
    .select(["id", "name", "email", "agency_id"])
    .where("agency_id", "in", agencyIds)
    .where("active", "=", true)
    .where("role", "in", ["partner", "professional"])
    .where((eb) => eb.or([eb("area_id", "=", areaId), eb("area_id", "is", null)]))
    .execute();
}

export function listUsersByIds(db: Database, ids: number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom("users")
    .innerJoin("agencies", "agencies.id", "users.agency_id")
    .select(["users.id", "users.name", "users.email", "users.active", "users.agency_id", "agencies.name as agency_name"])
    .where("users.id", "in", ids)
    .execute();
}

export function caseAgencyIds(db: Database, caseId: number) {
  return db.selectFrom("case_agencies").select("agency_id").where("case_id", "=", caseId).execute();
}

// ---- decisions and actions -------------------------------------------------

export function listPanelDecisions(db: Database, panelId: number) {
  return db
    .selectFrom("decisions")
    .innerJoin("users", "users.id", "decisions.decided_by_user_id")
    .select([
      "decisions.id",
      "decisions.agenda_item_id",
      "decisions.request_id",
      "decisions.outcome",
      "decisions.reasons",
      "decisions.risk_holder",
      "decisions.discussion",
      "decisions.lead_practitioner",
      "decisions.transfer_date",
      "decisions.review_date",
      "decisions.challenge",
      "decisions.decided_at",
      "users.name as decided_by",
    ])
    .where("decisions.panel_id", "=", panelId)
    .execute();
}

export function listPanelActions(db: Database, panelId: number) {
  return db
    .selectFrom("actions")
    .innerJoin("users as owner", "owner.id", "actions.owner_user_id")
    .innerJoin("agencies", "agencies.id", "owner.agency_id")
    .select([
      "actions.id",
      "actions.agenda_item_id",
      "actions.description",
      "actions.due_date",
      "actions.status",
      "actions.owner_user_id",
      "owner.name as owner_name",
      "owner.active as owner_active",
      "agencies.name as owner_agency",
    ])
    .where("actions.panel_id", "=", panelId)
    .orderBy("actions.id")
    .execute();
}

export function insertAction(
  db: Database,
  a: {
    caseId: number;
    panelId: number | null;
    agendaItemId: number | null;
    description: string;
    ownerUserId: number;
    dueDate: string;
    createdBy: number;
    at: Date;
  },
) {
  return db
    .insertInto("actions")
    .values({
      case_id: a.caseId,
      panel_id: a.panelId,
      agenda_item_id: a.agendaItemId,
      description: a.description,
      owner_user_id: a.ownerUserId,
      due_date: a.dueDate,
      created_by_user_id: a.createdBy,
      created_at: a.at,
    })
    .returning(["id"])
    .executeTakeFirstOrThrow();
}

export function listActionsForOwner(db: Database, ownerId: number) {
  return db
    .selectFrom("actions")
    .innerJoin("cases", "cases.id", "actions.case_id")
    .leftJoin("panels", "panels.id", "actions.panel_id")
    .select([
      "actions.id",
      "actions.description",
      "actions.due_date",
      "actions.status",
      "actions.done_note",
      "actions.done_at",
      "cases.reference",
      "panels.meeting_date",
    ])
    .where("actions.owner_user_id", "=", ownerId)
    .orderBy("actions.status", "desc")
    .orderBy("actions.due_date")
    .execute();
}

export function listActionsForCase(db: Database, caseId: number) {
  return db
    .selectFrom("actions")
    .innerJoin("users", "users.id", "actions.owner_user_id")
    .select([
      "actions.id",
      "actions.description",
      "actions.due_date",
      "actions.status",
      "actions.done_note",
      "actions.done_at",
      "actions.created_at",
      "users.name as owner_name",
    ])
    .where("actions.case_id", "=", caseId)
    .orderBy("actions.due_date")
    .execute();
}

export async function completeActionRow(db: Database, id: number, ownerId: number, note: string, at: Date) {
  const result = await db
    .updateTable("actions")
    .set({ status: "done", done_note: note, done_at: at })
    .where("id", "=", id)
    .where("owner_user_id", "=", ownerId)
    .where("status", "=", "open")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function findAction(db: Database, id: number) {
  return db
    .selectFrom("actions")
    .innerJoin("cases", "cases.id", "actions.case_id")
    .select(["actions.id", "actions.owner_user_id", "actions.status", "actions.description", "cases.reference"])
    .where("actions.id", "=", id)
    .executeTakeFirst();
}

// ---- extraordinary requests ------------------------------------------------

export function insertExtraordinaryRequest(
  db: Database,
  r: { areaId: number; requestedBy: number; startsAt: Date; endsAt: Date; reason: string; requestIds: number[]; at: Date },
) {
  return db
    .insertInto("extraordinary_requests")
    .values({
      area_id: r.areaId,
      requested_by_user_id: r.requestedBy,
      starts_at: r.startsAt,
      ends_at: r.endsAt,
      reason: r.reason,
      request_ids: JSON.stringify(r.requestIds),
      status: "pending",
      created_at: r.at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export function listExtraordinaryRequests(db: Database, areaId: number | null) {
  let query = db
    .selectFrom("extraordinary_requests")
    .innerJoin("areas", "areas.id", "extraordinary_requests.area_id")
    .innerJoin("users", "users.id", "extraordinary_requests.requested_by_user_id")
    .select([
      "extraordinary_requests.id",
      "extraordinary_requests.area_id",
      "extraordinary_requests.starts_at",
      "extraordinary_requests.ends_at",
      "extraordinary_requests.reason",
      "extraordinary_requests.status",
      "extraordinary_requests.decline_reason",
      "extraordinary_requests.panel_id",
      "extraordinary_requests.request_ids",
      "extraordinary_requests.created_at",
      "areas.name as area_name",
      "users.name as requested_by",
    ])
    .orderBy("extraordinary_requests.created_at", "desc");
  if (areaId !== null) query = query.where("extraordinary_requests.area_id", "=", areaId);
  return query.execute();
}

export function lockExtraordinaryRequest(db: Database, id: number) {
  return db.selectFrom("extraordinary_requests").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

export function settleExtraordinaryRequest(
  db: Database,
  id: number,
  s: { status: "approved" | "declined"; by: number; at: Date; declineReason?: string; panelId?: number },
) {
  return db
    .updateTable("extraordinary_requests")
    .set({
      status: s.status,
      decided_by_user_id: s.by,
      decided_at: s.at,
      decline_reason: s.declineReason ?? null,
      panel_id: s.panelId ?? null,
    })
    .where("id", "=", id)
    .execute();
}

/** Step-down requests waiting in an area: the figure that tells a manager an extraordinary panel is needed. */
export async function countWaiting(db: Database, areaId: number) {
  const rows = await db
    .selectFrom("requests")
    .select(["kind", (eb) => eb.fn.countAll<number>().as("n")])
    .where("area_id", "=", areaId)
    .where("status", "=", "awaiting_panel")
    .groupBy("kind")
    .execute();
  const of = (kind: string) => Number(rows.find((r) => r.kind === kind)?.n ?? 0);
  return { stepDown: of("step_down"), stepUp: of("step_up") };
}

/** Open actions whose reminder or overdue notice is due today and not yet sent. */
export function listActionsNeedingNotice(
  db: Database,
  kind: "reminder" | "overdue",
  dueFrom: string,
  dueTo: string,
  createdBefore: Date,
) {
  return db
    .selectFrom("actions")
    .innerJoin("cases", "cases.id", "actions.case_id")
    .innerJoin("users", "users.id", "actions.owner_user_id")
    .select([
      "actions.id",
      "actions.description",
      "actions.due_date",
      "actions.owner_user_id",
      "users.email as owner_email",
      "users.active as owner_active",
      "cases.reference",
    ])
    .where("actions.status", "=", "open")
    .where("actions.due_date", ">=", dueFrom)
    .where("actions.due_date", "<=", dueTo)
    .where("actions.created_at", "<", createdBefore)
    .where("users.active", "=", true)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("action_notices")
            .select("action_notices.action_id")
            .whereRef("action_notices.action_id", "=", "actions.id")
            .where("action_notices.kind", "=", kind),
        ),
      ),
    )
    .orderBy("actions.due_date")
    .execute();
}

/** Claims notices; returns the action ids this caller won (another worker may have claimed some). */
export async function claimActionNotices(db: Database, actionIds: number[], kind: "reminder" | "overdue", today: string) {
  if (!actionIds.length) return new Set<number>();
  const rows = await db
    .insertInto("action_notices")
    .values(actionIds.map((id) => ({ action_id: id, kind, sent_on: today })))
    .onConflict((oc) => oc.columns(["action_id", "kind"]).doNothing())
    .returning("action_id")
    .execute();
  return new Set(rows.map((r) => r.action_id));
}

/** The next panel a viewer may see that has not been cancelled. */
export function findNextPanelForViewer(db: Database, viewer: Viewer, from: Date) {
  return panelListQuery(db, viewer)
    .where("panels.ends_at", ">=", from)
    .where("panels.status", "<>", "cancelled")
    .orderBy("panels.starts_at")
    .limit(1)
    .executeTakeFirst();
}

/** How many open actions an owner has: overdue (before `today`), due by `soon`, and in all. */
export async function countOpenActions(db: Database, ownerId: number, today: string, soon: string) {
  const row = await db
    .selectFrom("actions")
    .select((eb) => [
      eb.fn.countAll<number>().as("open"),
      eb.fn.sum<number>(eb.case().when("due_date", "<", today).then(1).else(0).end()).as("overdue"),
      eb.fn.sum<number>(eb.case().when(eb.and([eb("due_date", ">=", today), eb("due_date", "<=", soon)])).then(1).else(0).end()).as("due_soon"),
    ])
    .where("owner_user_id", "=", ownerId)
    .where("status", "=", "open")
    .executeTakeFirst();
  return { open: Number(row?.open ?? 0), overdue: Number(row?.overdue ?? 0), dueSoon: Number(row?.due_soon ?? 0) };
}

/** A routine panel the area already holds on a date (not cancelled). */
export function findRoutinePanelOn(db: Database, areaId: number, date: string) {
  return db
    .selectFrom("panels")
    .select("id")
    .where("area_id", "=", areaId)
    .where("kind", "=", "routine")
    .where("status", "<>", "cancelled")
    .where("meeting_date", "=", date)
    .executeTakeFirst();
}

/** Which of these panels a person is invited to. */
export async function listPanelsAttendedBy(db: Database, userId: number, panelIds: number[]) {
  if (!panelIds.length) return new Set<number>();
  const rows = await db.selectFrom("panel_attendees").select("panel_id").where("user_id", "=", userId).where("panel_id", "in", panelIds).execute();
  return new Set(rows.map((r) => r.panel_id));
}

/** A person's panels for their calendar feed (not cancelled, from `since`), with how they are invited. */
export function listFeedPanels(db: Database, userId: number, since: Date) {
  return db
    .selectFrom("panel_attendees")
    .innerJoin("panels", "panels.id", "panel_attendees.panel_id")
    .innerJoin("areas", "areas.id", "panels.area_id")
    .leftJoin("users as chair", "chair.id", "panels.chair_user_id")
    .selectAll("panels")
    .select(["panel_attendees.role as my_role", "areas.name as area_name", "chair.name as chair_name", "chair.email as chair_email"])
    .where("panel_attendees.user_id", "=", userId)
    .where("panels.status", "<>", "cancelled")
    .where("panels.starts_at", ">", since)
    .execute();
}

/** The agenda items of several panels, in order, with what a slot invite needs. */
export function listSlotItems(db: Database, panelIds: number[]) {
  if (!panelIds.length) return Promise.resolve([]);
  return db
    .selectFrom("agenda_items")
    .innerJoin("cases", "cases.id", "agenda_items.case_id")
    .select([
      "agenda_items.id",
      "agenda_items.panel_id",
      "agenda_items.slot_minutes",
      "agenda_items.pinned_start",
      "agenda_items.invite_sent_user_ids",
      "agenda_items.invite_sequence",
      "cases.reference",
    ])
    .where("agenda_items.panel_id", "in", panelIds)
    .where("agenda_items.status", "in", ["listed", "decided"])
    .orderBy("agenda_items.position")
    .execute();
}
