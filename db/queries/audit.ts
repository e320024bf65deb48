import type { Database } from "../connect";

export interface AuditEntry {
  at: Date;
  actorUserId: number | null;
  action: string;
  recordType?: string;
  recordId?: string | number;
  ip?: string | null;
  /** Never a child's name, date of birth or address. */
  detail?: Record<string, unknown>;
}

export function insertAuditEvent(db: Database, entry: AuditEntry) {
  return db
    .insertInto("audit_events")
    .values({
      at: entry.at,
      actor_user_id: entry.actorUserId,
      action: entry.action,
      record_type: entry.recordType ?? null,
      record_id: entry.recordId === undefined ? null : String(entry.recordId),
      ip: entry.ip ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}

export function listAuditEvents(db: Database, filter: { recordType?: string; recordId?: string; action?: string; limit?: number } = {}) {
  let query = db
    .selectFrom("audit_events")
    .selectAll()
    .orderBy("id", "desc")
    .limit(filter.limit ?? 100);
  if (filter.recordType) query = query.where("record_type", "=", filter.recordType);
  if (filter.recordId) query = query.where("record_id", "=", filter.recordId);
  if (filter.action) query = query.where("action", "=", filter.action);
  return query.execute();
}
