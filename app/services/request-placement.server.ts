import { listUnplacedRequests } from "../../db/queries/requests";
import type { Database } from "../../db/connect";
import { caseAgencyIds, insertAgendaItem, nextPosition } from "../../db/queries/agenda";
import { findSchedule } from "../../db/queries/schedules";
import { listOpenPanels } from "../../db/queries/panels";
import { appUrlOf, type Deps } from "../lib/context";
import { panelForSubmission } from "../lib/panel-schedule";
import { refreshSlotInvites } from "./panel-invites.server";
import { generatePanels } from "./panel-generation.server";

/**
 * Puts a newly submitted request on its area's next panel whose cut-off has
 * not passed (ADR 006). Runs in the submission's transaction.
 */
export async function placeRequest(
  trx: Database,
  deps: Deps,
  request: { id: number; caseId: number; areaId: number; submittedAt: Date },
  options: { after?: { panelId: number; startsAt: Date }; late?: boolean } = {},
) {
  let panels = await listOpenPanels(trx, request.areaId, options.after?.startsAt ?? request.submittedAt);
  if (!panels.length) {
    const schedule = await findSchedule(trx, request.areaId);
    if (schedule) await generatePanels(trx, deps, schedule, deps.clock.now());
    panels = await listOpenPanels(trx, request.areaId, options.after?.startsAt ?? request.submittedAt);
  }
  const routine = panels.filter((p) => p.kind === "routine" && p.id !== options.after?.panelId);
  // Deferred or moved items go to the next panel that meets, whatever its cut-off.
  const panel = options.after
    ? (routine[0] ?? null)
    : (panelForSubmission(
        routine.map((p) => ({ ...p, cutoffAt: new Date(p.cutoff_at) })),
        request.submittedAt,
      ) ?? null);
  if (!panel) return null;
  const agencies = await caseAgencyIds(trx, request.caseId);
  await insertAgendaItem(trx, {
    panelId: panel.id,
    requestId: request.id,
    caseId: request.caseId,
    position: await nextPosition(trx, panel.id),
    invitedAgencyIds: agencies.map((a) => a.agency_id),
    late: options.late ?? false,
    at: deps.clock.now(),
  });
  await refreshSlotInvites(trx, panel.id, appUrlOf(deps), deps.clock.now());
  return panel;
}

/** Requests that waited while their area had no panels (no schedule yet) go on the panels now. */
export async function placeWaitingRequests(trx: Database, deps: Deps, areaId: number) {
  const waiting = await listUnplacedRequests(trx, areaId);
  for (const r of waiting) {
    if (!r.case_id) continue;
    await placeRequest(trx, deps, { id: r.id, caseId: r.case_id, areaId, submittedAt: new Date(r.submitted_at ?? deps.clock.now()) });
  }
}
