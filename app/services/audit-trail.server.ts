import { casesIn, requestIdIn, type AuditAction, type AuditDetail } from "../../domain/audit";
import { DateTime } from "luxon";
import { insertAuditEvent, listAuditActions, searchAuditEvents } from "../../db/queries/audit";
import { listUsers } from "../../db/queries/users";
import type { AuditFilters } from "../forms/audit";
import { toCsv } from "../lib/csv";
import type { Actor, Deps } from "../lib/context";
import { ZONE } from "../lib/dates";
import { may } from "../lib/policy";
import { forbidden } from "./authorise.server";

/** Rows the page shows; an export takes up to the larger number. */
export const AUDIT_PAGE_ROWS = 200;
export const AUDIT_EXPORT_ROWS = 100_000;

/**
 * Records that someone read records: which page or file (`action`), the record
 * it belongs to, and the case references it showed. Listing pages and exports
 * are reads as much as opening one case is.
 */
export async function recordRead(
  deps: Deps,
  actor: Actor,
  read: { action: AuditAction; recordType?: string; recordId?: string | number; cases?: string[]; detail?: AuditDetail },
) {
  await insertAuditEvent(deps.db, {
    at: deps.clock.now(),
    actorUserId: actor.user.id,
    action: read.action,
    recordType: read.recordType,
    recordId: read.recordId,
    ip: actor.ip,
    detail: { ...(read.cases ? { cases: [...new Set(read.cases)] } : {}), ...read.detail },
  });
}

function searchOf(filters: AuditFilters, limit: number) {
  // Days are council days: from the start of the first to the end of the last, in UK time.
  const day = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).startOf("day");
  return {
    actorUserId: filters.person || undefined,
    reference: filters.reference ? filters.reference.toUpperCase() : undefined,
    action: filters.action || undefined,
    from: filters.from ? day(filters.from).toJSDate() : undefined,
    to: filters.to ? day(filters.to).plus({ days: 1 }).toJSDate() : undefined,
    limit,
  };
}

/** The auditors' page: the trail filtered by person, case, action and dates. Reading the trail is itself audited. */
export async function viewAuditTrail(deps: Deps, actor: Actor, filters: AuditFilters) {
  if (!may(actor.user, "readAuditTrail")) throw forbidden();
  const [rows, actions, people] = await Promise.all([
    searchAuditEvents(deps.db, searchOf(filters, AUDIT_PAGE_ROWS + 1)),
    listAuditActions(deps.db),
    listUsers(deps.db),
  ]);
  await recordRead(deps, actor, { action: "audit.viewed", detail: { filters } });
  return { rows: rows.slice(0, AUDIT_PAGE_ROWS), more: rows.length > AUDIT_PAGE_ROWS, actions, people };
}

/** The same trail as CSV (an export, audited as one). */
export async function exportAuditTrail(deps: Deps, actor: Actor, filters: AuditFilters): Promise<string> {
  if (!may(actor.user, "readAuditTrail")) throw forbidden();
  const rows = await searchAuditEvents(deps.db, searchOf(filters, AUDIT_EXPORT_ROWS));
  await recordRead(deps, actor, { action: "audit.exported", detail: { filters, rows: rows.length } });
  return toCsv(
    ["seq", "at", "person", "email", "action", "record_type", "record_id", "ip", "request_id", "cases", "detail"],
    rows.map((r) => {
      const { requestId: _request, cases: _cases, ...rest } = r.detail;
      return [
        r.seq,
        new Date(r.at).toISOString(),
        r.actor_name ?? "",
        r.actor_email ?? "",
        r.action,
        r.record_type ?? "",
        r.record_id ?? "",
        r.ip ?? "",
        requestIdIn(r.detail),
        casesIn(r.detail).join(" "),
        Object.keys(rest).length ? JSON.stringify(rest) : "",
      ];
    }),
  );
}
