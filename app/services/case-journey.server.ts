import { insertTransition, listTransitions, lockCase, updateCaseIfUnchanged } from "../../db/queries/cases";
import type { Database } from "../../db/connect";
import type { CaseJourneyEvent, CaseState } from "../../machines/case-journey/case-journey.machine";
import { CASE_JOURNEY_VERSION } from "../../machines/case-journey/case-journey.machine";
import { applyJourneyEvent, type PersistedJourney } from "../../machines/case-journey/journey";
import { ConflictError } from "../lib/errors";
import { drive, type MachineRecord } from "./machine-driver.server";
import { CASE_STATE_LABELS } from "../lib/state-labels";

export function statusLabel(status: string): string {
  return CASE_STATE_LABELS[status as CaseState] ?? status;
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
 * row, checks nobody changed it since the form was read, then drives the
 * machine through the one driver (status + snapshot + history together).
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
  return driveLockedJourney(trx, row, event, options);
}

/** The same, for a case the caller has already locked (and checked) in this transaction: read once. */
export async function driveLockedJourney(trx: Database, row: CaseRow, event: CaseJourneyEvent, options: Parameters<typeof caseMachine>[0]) {
  const from = row.status;
  const step = await drive(trx, caseMachine(options), row, event);
  return { from, to: step.to, version: row.version, reference: row.reference };
}

type CaseRow = NonNullable<Awaited<ReturnType<typeof lockCase>>>;

/** The case journey as the driver keeps it: `status` (snake case) + `journey` snapshot + `case_transitions`. */
function caseMachine(options: {
  actorUserId: number;
  reason?: string | null;
  requestId?: number | null;
  riskHolder?: string | null;
  leadPractitioner?: string | null;
}): MachineRecord<CaseRow, CaseJourneyEvent, CaseState, PersistedJourney> {
  return {
    name: "case",
    apply(row, event) {
      const step = applyJourneyEvent(row.journey as PersistedJourney, event);
      return step.ok ? { ok: true, from: step.from, to: step.to, next: step.journey } : step;
    },
    label: (state) => CASE_STATE_LABELS[state as CaseState] ?? state,
    write(trx, row, step, event) {
      const steppedDown = step.next.context.lastSteppedDownAt;
      return updateCaseIfUnchanged(trx, row.id, row.version, {
        status: step.to,
        journey: step.next,
        machineVersion: CASE_JOURNEY_VERSION,
        at: new Date(event.at),
        lastSteppedDownAt: steppedDown ? new Date(steppedDown) : null,
        ...(options.riskHolder !== undefined ? { riskHolder: options.riskHolder } : {}),
        ...(options.leadPractitioner !== undefined ? { leadPractitioner: options.leadPractitioner } : {}),
      });
    },
    async record(trx, row, step, event) {
      await insertTransition(trx, {
        caseId: row.id,
        at: new Date(event.at),
        actorUserId: options.actorUserId,
        event: event.type,
        from: row.status,
        to: step.to,
        reason: options.reason ?? null,
        requestId: options.requestId ?? null,
      });
    },
  };
}
