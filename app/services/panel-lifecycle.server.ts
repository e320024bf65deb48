import type { Database } from "../../db/connect";
import { listAgendaItems, updateAgendaItem } from "../../db/queries/agenda";
import { listAllSchedules } from "../../db/queries/schedules";
import { insertPanelTransition, listPanelsDueForClock, lockPanel, updatePanelIfUnchanged, type PanelRow } from "../../db/queries/panels";
import { applyPanelEvent, type PanelEvent, type PersistedPanel } from "../../machines/panel/panel.machine";
import { appUrlOf, type Deps } from "../lib/context";
import { ConflictError } from "../lib/errors";
import { cancelSlotInvites, sendPanelInvites } from "./panel-invites.server";
import { generatePanels } from "./panel-schedules.server";
import { placeRequest } from "./request-placement.server";

/** An agenda opens this long before its cut-off. */
export const AGENDA_OPENS_BEFORE_CUTOFF_MS = 21 * 24 * 3600_000;

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
    throw new ConflictError({ status: panel.status, version: panel.version, changes: [] }, "panel");
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
  if (!written) throw new ConflictError({ status: panel.status, version: panel.version + 1, changes: [] }, "panel");
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
export async function cancelPanelInTransaction(
  trx: Database,
  deps: Deps,
  actorUserId: number | null,
  panel: PanelRow,
  reason: string,
  now: Date,
) {
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
  await cancelSlotInvites(
    trx,
    panel.id,
    items.map((i) => i.id),
    appUrlOf(deps),
    now,
  );
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
