import type { AuditAction, AuditDetail } from "../../domain/audit";
import { insertAuditEvent } from "../../db/queries/audit";
import { listAgencies } from "../../db/queries/organisation";
import type { Database } from "../../db/connect";
import { findVisiblePanel, lockPanel, updatePanelIfUnchanged, type PanelRow } from "../../db/queries/panels";
import { listAreaPeople } from "../../db/queries/users";
import type { Actor, Deps } from "../lib/context";
import { ConflictError, FormError } from "../lib/errors";
import { forbidden, notFound } from "./authorise.server";
import { may, mayInArea } from "../lib/policy";
import { emitAccessChange, emitPanelChange, INSTANCE } from "../lib/panel-events";
import { notifyAccessChanged, notifyPanelChanged } from "../../db/queries/live";

export const EDITABLE = ["scheduled", "agenda_open", "agenda_closed", "in_session"];

/**
 * Managers of the panel's area, its chair and its core members see the whole
 * panel; anyone else sees it only through the items they are invited to.
 */
export function seesWholePanel(actor: Actor, attendees: Array<{ user_id: number | null; role: string }>) {
  if (may(actor.user, "managePanels")) return true;
  return attendees.some((a) => a.user_id === actor.user.id && invitedToWhole(a));
}

/**
 * The chair and core members are invited to the whole meeting. Someone invited
 * for an item, or added at the meeting because they turned up, is not: they
 * keep to what they were invited for.
 */
export function invitedToWhole(a: { role: string }) {
  return a.role === "chair" || a.role === "core";
}

/** The whole-meeting invitees who can be emailed. */
export function wholeMeetingInvitees<T extends { role: string; active: boolean; email: string | null; user_id: number | null }>(
  attendees: T[],
) {
  return attendees.filter(
    (a): a is T & { email: string; user_id: number } => invitedToWhole(a) && a.active && a.email !== null && a.user_id !== null,
  );
}

/** Whether the invitation to discuss this item stands for the person (see `itemInviteStands`). */
export function invitedFor(actor: Actor, item: { status: string; invite_sent_user_ids: number[] }) {
  return (item.status === "listed" || item.status === "decided") && item.invite_sent_user_ids.includes(actor.user.id);
}

export async function visiblePanel(deps: Deps, actor: Actor, id: number) {
  const panel = await findVisiblePanel(deps.db, actor.user, id);
  if (!panel) throw notFound();
  return panel;
}

/** Team and service managers of the panel's area chair and run it. */
export function mayChair(actor: Actor, panel: { area_id: number }) {
  return mayInArea(actor.user, "managePanels", panel.area_id);
}

function assertChair(actor: Actor, panel: { area_id: number }) {
  if (!mayChair(actor, panel)) throw forbidden();
}

/** Locks the panel and checks nobody changed it since the form was read. */
async function lockUnchangedPanel(trx: Database, id: number, expectedVersion: number) {
  const panel = await lockPanel(trx, id);
  if (!panel) throw notFound();
  if (panel.version !== expectedVersion) {
    throw new ConflictError({ status: panel.status, version: panel.version, changes: ["someone else changed this panel"] }, "panel");
  }
  return panel;
}

/**
 * Every chair's use case: the panel must be visible, then locked for the
 * transaction (checked unchanged when the form carried a version), and the
 * person must chair in its area.
 */
export async function chairPanel<T>(
  deps: Deps,
  actor: Actor,
  panelId: number,
  expectedVersion: number | null,
  run: (trx: Database, panel: PanelRow) => Promise<T>,
): Promise<T> {
  await visiblePanel(deps, actor, panelId);
  const result = await deps.db.transaction().execute(async (trx) => {
    const panel = expectedVersion === null ? await lockPanel(trx, panelId) : await lockUnchangedPanel(trx, panelId, expectedVersion);
    if (!panel) throw notFound();
    assertChair(actor, panel);
    return run(trx, panel);
  });
  // Whatever the chair changed, open live pages show it.
  await announcePanelChange(deps, panelId);
  return result;
}

/** Tells every watcher of the panel, on this instance at once and on others through NOTIFY. Call after the change commits. */
export async function announcePanelChange(deps: Deps, panelId: number) {
  emitPanelChange(panelId);
  await notifyPanelChanged(deps.db, panelId, INSTANCE);
}

/** Tells a person's open streams, here and on other instances, to check their session and access again. Call after the change commits. */
export async function announceAccessChange(deps: Deps, userId: number) {
  emitAccessChange(userId);
  await notifyAccessChanged(deps.db, userId, INSTANCE);
}

/** Ids posted for people and agencies must be ones the page offered: the area's people, existing agencies. */
export async function assertOffered(trx: Database, areaId: number, chosen: { userIds?: number[]; agencyIds?: number[] }) {
  const [people, agencies] = await Promise.all([
    chosen.userIds?.length ? listAreaPeople(trx, areaId) : Promise.resolve([]),
    chosen.agencyIds?.length ? listAgencies(trx) : Promise.resolve([]),
  ]);
  const personIds = new Set(people.map((p) => p.id));
  const agencyIds = new Set(agencies.map((a) => a.id));
  if (chosen.userIds?.some((id) => !personIds.has(id))) throw new FormError({ userIds: "Choose people from the list" });
  if (chosen.agencyIds?.some((id) => !agencyIds.has(id))) throw new FormError({ agencyIds: "Choose agencies from the list" });
}

/**
 * Writes a chair's change to the locked panel (or just marks it changed),
 * bumping its version; someone else's change since it was read is a conflict.
 */
export async function touchPanel(
  trx: Database,
  panel: PanelRow,
  now: Date,
  changes: Omit<Parameters<typeof updatePanelIfUnchanged>[3], "at"> = {},
) {
  const ok = await updatePanelIfUnchanged(trx, panel.id, panel.version, { ...changes, at: now });
  if (!ok) throw new ConflictError({ status: panel.status, version: panel.version, changes: ["someone else changed this panel"] }, "panel");
  panel.version += 1;
}

export async function audit(trx: Database, actor: Actor, at: Date, action: AuditAction, recordId: number | string, detail: AuditDetail) {
  await insertAuditEvent(trx, {
    at,
    actorUserId: actor.user.id,
    action,
    recordType: typeof recordId === "string" ? "case" : "panel",
    recordId,
    ip: actor.ip,
    detail,
  });
}
