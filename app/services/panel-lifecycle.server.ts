import type { Database } from "../../db/connect";
import { listAgendaItems, updateAgendaItem } from "../../db/queries/agenda";
import { listAllSchedules } from "../../db/queries/schedules";
import { insertPanelTransition, listPanelsDueForClock, lockPanel, updatePanelIfUnchanged, type PanelRow } from "../../db/queries/panels";
import { applyPanelEvent, type PanelEvent, type PanelState, type PersistedPanel } from "../../machines/panel/panel.machine";
import { appUrlOf, type Deps } from "../lib/context";
import { drive, isRefused, type MachineRecord } from "./machine-driver.server";
import { cancelSlotInvites, sendPanelInvites } from "./panel-invites.server";
import { generatePanels } from "./panel-generation.server";
import { placeRequest } from "./request-placement.server";
import { PANEL_STATE_LABELS } from "../lib/state-labels";

/** An agenda opens this long before its cut-off. */
export const AGENDA_OPENS_BEFORE_CUTOFF_MS = 21 * 24 * 3600_000;

/**
 * Runs one lifecycle event on a locked panel through the one driver; an event
 * the panel cannot take is refused (TransitionRefused), a stale version is a conflict.
 */
export async function drivePanel(
  trx: Database,
  panel: PanelRow,
  event: PanelEvent,
  options: { actorUserId: number | null; expectedVersion?: number; reason?: string | null; extra?: { minutes?: unknown } },
) {
  const step = await drive(trx, panelMachine(options), panel, event, { expectedVersion: options.expectedVersion });
  panel.lifecycle = step.next as unknown as Record<string, unknown>;
  return step;
}

/** The panel lifecycle as the driver keeps it: `status` + `lifecycle` snapshot + `panel_transitions`. */
function panelMachine(options: {
  actorUserId: number | null;
  reason?: string | null;
  extra?: { minutes?: unknown };
}): MachineRecord<PanelRow, PanelEvent, PanelState, PersistedPanel> {
  return {
    name: "panel",
    apply(row, event) {
      const step = applyPanelEvent(row.lifecycle as unknown as PersistedPanel, event);
      return step.ok ? { ok: true, from: step.from, to: step.to, next: step.panel } : step;
    },
    label: (state) => PANEL_STATE_LABELS[state as PanelState] ?? state,
    write: (trx, row, step, event) =>
      updatePanelIfUnchanged(trx, row.id, row.version, {
        at: new Date(event.at),
        status: step.to,
        lifecycle: step.next,
        ...(event.type === "CANCEL" ? { cancelledReason: step.next.context.cancelledReason, bumpInvite: true } : {}),
        ...(options.extra?.minutes !== undefined ? { minutes: options.extra.minutes } : {}),
      }),
    async record(trx, row, step, event) {
      await insertPanelTransition(trx, {
        panelId: row.id,
        at: new Date(event.at),
        actorUserId: options.actorUserId,
        event: event.type,
        from: step.from,
        to: step.to,
        reason: options.reason ?? null,
      });
    },
  };
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
  await drivePanel(trx, panel, { type: "CANCEL", at: now.toISOString(), reason }, { actorUserId, reason });
  await moveListedItems(trx, deps, panel, now);
  await sendPanelInvites(trx, panel.id, "cancelled", appUrlOf(deps), now);
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
      // The clock only proposes: a panel whose machine refuses (its state moved on) is left as it is.
      const advance = async (event: PanelEvent) => {
        try {
          await drivePanel(trx, panel, event, { actorUserId: null });
          moved++;
        } catch (error) {
          if (!isRefused(error)) throw error;
        }
      };
      if (panel.status === "scheduled" && new Date(panel.cutoff_at).getTime() - AGENDA_OPENS_BEFORE_CUTOFF_MS <= now.getTime()) {
        await advance({ type: "OPEN_AGENDA", at: now.toISOString() });
      }
      if (panel.status === "agenda_open" && new Date(panel.cutoff_at) <= now) {
        await advance({ type: "CUT_OFF", at: now.toISOString() });
      }
    });
  }
  return { generated, moved };
}
