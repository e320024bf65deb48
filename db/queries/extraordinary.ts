import { inAreaScope, type AreaScope } from "./area-scope";
import type { Database } from "../connect";

export function insertExtraordinaryRequest(
  db: Database,
  r: {
    areaId: number;
    requestedBy: number;
    startsAt: Date;
    endsAt: Date;
    reason: string;
    requestIds: number[];
    attendeeIds: number[] | null;
    at: Date;
  },
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
      attendee_user_ids: r.attendeeIds ? JSON.stringify(r.attendeeIds) : null,
      status: "pending",
      created_at: r.at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export function listExtraordinaryRequests(db: Database, scope: AreaScope) {
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
  query = query.where((eb) => inAreaScope(eb, "extraordinary_requests.area_id", scope));
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
