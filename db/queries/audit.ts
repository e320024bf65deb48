import { sql, type ExpressionBuilder } from "kysely";
import { currentRequestId } from "../audit-context";
import type { Database } from "../connect";
import type { DB } from "../schema";
import type { AuditAction, AuditDetail } from "../../domain/audit";

export interface AuditEntry {
  at: Date;
  actorUserId: number | null;
  action: AuditAction;
  recordType?: string;
  recordId?: string | number;
  ip?: string | null;
  /** Never a child's name, date of birth or address. */
  detail?: AuditDetail;
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
      detail: JSON.stringify(withRequestId(entry.detail ?? {})),
    })
    .execute();
}

/** The request the row was written for (kept in the detail, so the chain's hash covers it). */
function withRequestId(detail: AuditDetail) {
  const requestId = currentRequestId();
  return requestId ? { ...detail, requestId } : detail;
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

/**
 * Seals up to `batch` rows written since the last seal into the chain, in the
 * order they became visible (ADR 030). Returns how many it sealed; 0 when
 * another sealer holds the chain at that moment.
 */
export async function sealAuditChain(db: Database, batch = 1000): Promise<number> {
  const result = await sql<{ sealed: number }>`select audit_events_seal(${batch}) as sealed`.execute(db);
  return Number(result.rows[0]?.sealed ?? 0);
}

/**
 * Walks the audit chain in order and returns the first row that does not
 * hold: a sealed row whose hash is not the hash of its content and the
 * previous row's hash, that does not point at the previous row's hash, or that
 * follows a missing row; or a row not yet sealed whose content no longer
 * matches the hash it was written with.
 */
export async function findFirstBrokenAuditRow(db: Database) {
  const sealed = await sql<{ id: number; seq: string; problem: string }>`
    with walked as (
      select id, seq, hash, prev_hash,
        audit_event_hash(prev_hash, seq, at, actor_user_id, action, record_type, record_id, ip, detail) as expected,
        coalesce(lag(hash) over (order by seq), '') as previous,
        row_number() over (order by seq) as position
      from audit_events
      where seq is not null
    )
    select id, seq::text as seq,
      case
        when seq <> position then 'a row is missing or out of order before it'
        when prev_hash is distinct from previous then 'it does not follow the row before'
        else 'its content does not match its hash'
      end as problem
    from walked
    where seq <> position or prev_hash is distinct from previous or hash is distinct from expected
    order by position
    limit 1`.execute(db);
  const unsealed = await sql<{ id: number; seq: string; problem: string }>`
    select id, 'not yet sealed' as seq, 'its content does not match the hash it was written with' as problem
    from audit_events
    where seq is null
      and row_hash is distinct from audit_event_row_hash(at, actor_user_id, action, record_type, record_id, ip, detail)
    order by id
    limit 1`.execute(db);
  const count = await db
    .selectFrom("audit_events")
    .select((eb) => [eb.fn.countAll<string>().as("n"), eb.fn.count<string>("seq").as("sealed")])
    .executeTakeFirstOrThrow();
  return {
    rows: Number(count.n),
    unsealed: Number(count.n) - Number(count.sealed),
    broken: sealed.rows[0] ?? unsealed.rows[0] ?? null,
  };
}

/** Rows about one case: its own (reads and changes), and any page or export that listed it among the cases shown. */
export function aboutCase(reference: string) {
  return (eb: ExpressionBuilder<DB, "audit_events">) =>
    eb.or([
      eb.and([eb("audit_events.record_type", "=", "case"), eb("audit_events.record_id", "=", reference)]),
      sql<boolean>`(audit_events.detail -> 'cases') @> ${JSON.stringify([reference])}::jsonb`,
    ]);
}

export interface AuditSearch {
  actorUserId?: number;
  /** A case reference: rows about that case, or that listed it among the cases shown. */
  reference?: string;
  action?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
  limit: number;
}

/** The trail for the auditors' page and its export, newest first, with who acted. */
export function searchAuditEvents(db: Database, search: AuditSearch) {
  let query = db
    .selectFrom("audit_events")
    .leftJoin("users", "users.id", "audit_events.actor_user_id")
    .select([
      "audit_events.id",
      "audit_events.seq",
      "audit_events.at",
      "audit_events.action",
      "audit_events.record_type",
      "audit_events.record_id",
      "audit_events.ip",
      "audit_events.detail",
      "users.name as actor_name",
      "users.email as actor_email",
    ])
    .orderBy("audit_events.id", "desc")
    .limit(search.limit);
  if (search.actorUserId) query = query.where("audit_events.actor_user_id", "=", search.actorUserId);
  if (search.action) query = query.where("audit_events.action", "=", search.action);
  if (search.from) query = query.where("audit_events.at", ">=", search.from);
  if (search.to) query = query.where("audit_events.at", "<", search.to);
  if (search.reference) query = query.where(aboutCase(search.reference));
  return query.execute();
}

export async function listAuditActions(db: Database): Promise<string[]> {
  const rows = await db.selectFrom("audit_events").select("action").distinct().orderBy("action").execute();
  return rows.map((r) => r.action);
}
