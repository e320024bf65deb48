import { findCaseByReference, insertTransition, listTransitions, lockCase, updateCaseIfUnchanged } from "../../db/queries/cases";
import type { Database } from "../../db/connect";
import type { CaseStatus } from "../../db/schema";
import type { CaseJourneyEvent } from "../../machines/case-journey/case-journey.machine";
import { CASE_JOURNEY_VERSION } from "../../machines/case-journey/case-journey.machine";
import { applyJourneyEvent, STATE_LABELS, STATUS_OF, type PersistedJourney } from "../../machines/case-journey/journey";
import { ConflictError, TransitionRefused } from "../lib/errors";

export function statusLabel(status: string): string {
  const entry = Object.entries(STATUS_OF).find(([, s]) => s === status);
  return entry ? STATE_LABELS[entry[0] as keyof typeof STATE_LABELS] : status;
}

/**
 * Locks the case for the rest of the transaction and checks nobody changed it
 * since the form was read; the loser is told what changed.
 */
export async function lockUnchangedCase(trx: Database, caseId: number, expectedVersion?: number) {
  const row = await lockCase(trx, caseId);
  if (!row) throw new Error(`case ${caseId} vanished`);
  const expected = expectedVersion ?? row.version;
  if (row.version !== expected) {
    const since = (await listTransitions(trx, caseId)).slice(0, Math.max(1, row.version - expected));
    throw new ConflictError({
      status: row.status,
      version: row.version,
      changes: since.map(
        (t) => `${statusLabel(t.from_status ?? "")} → ${statusLabel(t.to_status)}${t.actor_name ? ` by ${t.actor_name}` : ""}`,
      ),
    });
  }
  return row;
}

/**
 * Runs one journey event on a case inside the caller's transaction: locks the
 * row, checks nobody changed it since the form was read, runs the machine,
 * writes status + snapshot + history together.
 */
export async function driveJourney(
  trx: Database,
  caseId: number,
  event: CaseJourneyEvent,
  options: {
    actorUserId: number;
    expectedVersion?: number;
    reason?: string | null;
    requestId?: number | null;
    riskHolder?: string | null;
    leadPractitioner?: string | null;
  },
) {
  const row = await lockUnchangedCase(trx, caseId, options.expectedVersion);
  const expected = row.version;
  const step = applyJourneyEvent(row.journey as PersistedJourney, event);
  if (!step.ok) throw new TransitionRefused(statusLabel(row.status), event.type);
  const to = STATUS_OF[step.to] as CaseStatus;
  const steppedDown = step.journey.context.lastSteppedDownAt;
  const written = await updateCaseIfUnchanged(trx, caseId, expected, {
    status: to,
    journey: step.journey,
    machineVersion: CASE_JOURNEY_VERSION,
    at: new Date(event.at),
    lastSteppedDownAt: steppedDown ? new Date(steppedDown) : null,
    ...(options.riskHolder !== undefined ? { riskHolder: options.riskHolder } : {}),
    ...(options.leadPractitioner !== undefined ? { leadPractitioner: options.leadPractitioner } : {}),
  });
  if (!written) {
    const fresh = await findCaseByReference(trx, row.reference);
    throw new ConflictError({ status: fresh?.status ?? row.status, version: fresh?.version ?? row.version, changes: [] });
  }
  await insertTransition(trx, {
    caseId,
    at: new Date(event.at),
    actorUserId: options.actorUserId,
    event: event.type,
    from: row.status,
    to,
    reason: options.reason ?? null,
    requestId: options.requestId ?? null,
  });
  return { from: row.status, to, version: expected + 1, reference: row.reference };
}
