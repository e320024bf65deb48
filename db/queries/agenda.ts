import { sql } from "kysely";
import type { Database } from "../connect";
import type { AgendaItemStatus } from "../schema";

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
      "agenda_items.started_at",
      "agenda_items.ended_at",
      "agenda_items.skipped",
      "agenda_items.sorted_at",
      "requests.submitted_by_user_id",
      "requests.kind",
      "requests.status as request_status",
      "requests.bounce_back",
      "requests.submitted_at",
      "requests.possible_match_case_ids",
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
  return db.selectFrom("agenda_items").selectAll().where("request_id", "=", requestId).where("status", "=", "listed").executeTakeFirst();
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
    sortedAt: Date | null;
  }>,
) {
  return db
    .updateTable("agenda_items")
    .set({
      ...(changes.status ? { status: changes.status } : {}),
      ...(changes.position !== undefined ? { position: changes.position } : {}),
      ...(changes.slotMinutes !== undefined ? { slot_minutes: changes.slotMinutes } : {}),
      ...(changes.pinnedStart !== undefined ? { pinned_start: changes.pinnedStart } : {}),
      ...(changes.sortedAt !== undefined ? { sorted_at: changes.sortedAt } : {}),
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
      "requests.submitted_by_user_id",
      "cases.reference",
      "agencies.name as agency_name",
      "panels.id as panel_id",
      "panels.meeting_date",
      "panels.kind as panel_kind",
    ])
    .where("panels.area_id", "=", areaId)
    .where("panels.id", "<>", excludePanelId)
    .where("panels.status", "in", ["scheduled", "agenda_open", "agenda_closed"])
    .where("agenda_items.status", "=", "listed");
  if (laterThan !== undefined) query = query.where("panels.starts_at", ">", new Date(laterThan));
  return query.orderBy("requests.submitted_at").execute();
}

export function caseAgencyIds(db: Database, caseId: number) {
  return db.selectFrom("case_agencies").select("agency_id").where("case_id", "=", caseId).execute();
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
