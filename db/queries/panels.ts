import { sql, type ExpressionBuilder } from "kysely";
import type { Database } from "../connect";
import type { DB, MinutesApproval, PanelKind, PanelStatus } from "../schema";
import type { Viewer } from "./cases";
import { inAreaScope } from "./area-scope";
import { itemInviteStands } from "./item-invites";

/**
 * Which panels a person may see: managers their area's (every area's when they
 * act for all, none when they have no area); chairs and core members the panels they are invited to; someone
 * invited for one item only while that invitation stands (and then only that
 * item: see `itemInviteStands`).
 */
export function panelVisibleTo(viewer: Viewer) {
  return (eb: ExpressionBuilder<DB, "panels">) => {
    if (viewer.role === "team_manager" || viewer.role === "service_manager" || viewer.role === "head_of_service") {
      return inAreaScope(eb, "panels.area_id", viewer);
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
  "panels.held_early_from",
  "panels.held_early_reason",
  "panels.going_ahead_without",
  "panels.invite_sequence",
  "panels.version",
  "panels.minutes",
  "panels.minutes_approval",
  "panels.current_item_id",
  "panels.agenda_sent_at",
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
      oc.columns(["area_id", "meeting_date"]).where("kind", "=", "routine").where("status", "<>", "cancelled").doNothing(),
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
    .select([
      ...panelColumns,
      "areas.name as area_name",
      "areas.quorum_kinds",
      "areas.quorum_others",
      "areas.transfer_within_days",
      "chair.name as chair_name",
      "chair.email as chair_email",
    ])
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

/** A panel that has met (or is meeting) is no longer coming, even when it was held before its planned date. */
const HELD = ["in_session", "concluded", "minutes_published"] as const;

export function listPanelsForViewer(db: Database, viewer: Viewer, options: { from: Date; until?: Date; areaId?: number }) {
  let query = panelListQuery(db, viewer).where("panels.ends_at", ">=", options.from).where("panels.status", "not in", HELD);
  if (options.until) query = query.where("panels.starts_at", "<", options.until);
  if (options.areaId) query = query.where("panels.area_id", "=", options.areaId);
  return query.orderBy("panels.starts_at").execute();
}

export function listRecentPanelsForViewer(db: Database, viewer: Viewer, before: Date, limit: number) {
  return panelListQuery(db, viewer)
    .where((eb) => eb.or([eb("panels.ends_at", "<", before), eb("panels.status", "in", HELD)]))
    .orderBy("panels.starts_at", "desc")
    .limit(limit)
    .execute();
}

/** Panels in an area that can still take requests, soonest cut-off first. */
export function listOpenPanels(db: Database, areaId: number, after: Date) {
  return db
    .selectFrom("panels")
    .select(panelColumns)
    .where("area_id", "=", areaId)
    .where("status", "in", ["scheduled", "agenda_open", "agenda_closed"])
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
        eb.and([eb("status", "=", "agenda_open"), eb("cutoff_at", "<=", now)]),
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
    heldEarly: { from: string; reason: string };
    goingAheadWithout: Record<string, string>;
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
      ...(changes.heldEarly ? { held_early_from: changes.heldEarly.from, held_early_reason: changes.heldEarly.reason } : {}),
      ...(changes.goingAheadWithout ? { going_ahead_without: JSON.stringify(changes.goingAheadWithout) } : {}),
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

/** The next panel a viewer may see that has not been cancelled. */
export function findNextPanelForViewer(db: Database, viewer: Viewer, from: Date) {
  // A panel sitting now comes first, even one started before its planned day; one that has
  // finished (concluded, minutes drafted or published) is not "next", even later the same day.
  return panelListQuery(db, viewer)
    .where((eb) => eb.or([eb("panels.ends_at", ">=", from), eb("panels.status", "=", "in_session")]))
    .where("panels.status", "not in", ["cancelled", "concluded", "minutes_published"])
    .orderBy(sql`panels.status = 'in_session'`, "desc")
    .orderBy("panels.starts_at")
    .limit(1)
    .executeTakeFirst();
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

/** Rewrites a panel's minutes (a corrected decision); the panel's version is left alone, as nothing about the meeting changed. */
export async function replaceMinutes(db: Database, panelId: number, minutes: unknown) {
  await db
    .updateTable("panels")
    .set({ minutes: JSON.stringify(minutes) })
    .where("id", "=", panelId)
    .execute();
}

/** Marks a panel's agenda as sent to the people invited for its items. */
export function markAgendaSent(db: Database, id: number, at: Date) {
  return db.updateTable("panels").set({ agenda_sent_at: at }).where("id", "=", id).where("agenda_sent_at", "is", null).execute();
}

/** Panels meeting before `before` whose agenda has not been sent: it goes by itself. */
export function listPanelsWithAgendaUnsent(db: Database, before: Date) {
  return db
    .selectFrom("panels")
    .select("id")
    .where("agenda_sent_at", "is", null)
    .where("status", "in", ["scheduled", "agenda_open", "agenda_closed"])
    .where("starts_at", "<=", before)
    .execute();
}

/** When the panel last went into session (its START), for the minutes' actual times. */
export async function findSessionStart(db: Database, panelId: number): Promise<Date | null> {
  const row = await db
    .selectFrom("panel_transitions")
    .select("at")
    .where("panel_id", "=", panelId)
    .where("to_status", "=", "in_session")
    .orderBy("at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? new Date(row.at) : null;
}

/** The area's last panel before this one whose meeting is over (its minutes drafted or published), for their approval. */
export function findPreviousMinutes(db: Database, areaId: number, before: Date) {
  return db
    .selectFrom("panels")
    .select(["id", "meeting_date", "status", "minutes_approval"])
    .where("area_id", "=", areaId)
    .where("starts_at", "<", before)
    .where("status", "in", ["concluded", "minutes_published"])
    .orderBy("starts_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** Records the approval of a panel's minutes once; returns whether it was recorded. */
export async function recordMinutesApproval(db: Database, panelId: number, approval: MinutesApproval) {
  const result = await db
    .updateTable("panels")
    .set({ minutes_approval: JSON.stringify(approval) })
    .where("id", "=", panelId)
    .where("minutes_approval", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
