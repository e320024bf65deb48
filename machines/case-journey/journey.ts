import { initialTransition, transition, type SnapshotFrom } from "xstate";
import {
  CASE_JOURNEY_VERSION,
  caseJourneyMachine,
  DECISION_OUTCOMES,
  type DecisionOutcome,
  type CaseJourneyContext,
  type CaseJourneyEvent,
  type CaseState,
  type ServiceState,
} from "./case-journey.machine";

export type JourneySnapshot = SnapshotFrom<typeof caseJourneyMachine>;

/** What is stored beside the `status` column. */
export interface PersistedJourney {
  version: number;
  value: CaseState;
  context: CaseJourneyContext;
}

export function startJourney(startIn: ServiceState): PersistedJourney {
  const [snapshot] = initialTransition(caseJourneyMachine, { startIn });
  return persist(snapshot);
}

function persist(snapshot: JourneySnapshot): PersistedJourney {
  return { version: CASE_JOURNEY_VERSION, value: snapshot.value as CaseState, context: snapshot.context };
}

/**
 * Brings a snapshot saved by any earlier machine version up to this one. The
 * rule (ADR 004): each version bump adds a step here; a saved snapshot is never
 * rewritten in place until the case next changes.
 */
export function upgradeJourney(saved: PersistedJourney): PersistedJourney {
  const upgraded = { ...saved, context: { ...saved.context } };
  // Version 1 is the first; later versions add their steps above this line.
  if (upgraded.version > CASE_JOURNEY_VERSION) {
    throw new Error(`Case journey version ${upgraded.version} is newer than this code (${CASE_JOURNEY_VERSION})`);
  }
  upgraded.version = CASE_JOURNEY_VERSION;
  return upgraded;
}

export function restore(saved: PersistedJourney): JourneySnapshot {
  const current = upgradeJourney(saved);
  return caseJourneyMachine.resolveState({ value: current.value, context: current.context });
}

export type JourneyStep = { ok: true; from: CaseState; to: CaseState; journey: PersistedJourney } | { ok: false; from: CaseState };

/** Applies one event; an event the case cannot take in its state is refused, never ignored silently. */
export function applyJourneyEvent(saved: PersistedJourney, event: CaseJourneyEvent): JourneyStep {
  const snapshot = restore(saved);
  const from = snapshot.value as CaseState;
  if (!snapshot.can(event)) return { ok: false, from };
  const [next] = transition(caseJourneyMachine, snapshot, event);
  return { ok: true, from, to: next.value as CaseState, journey: persist(next) };
}

/**
 * The panel decisions a case in this state can take, asked of the machine:
 * what the chair is offered (a step up's outcomes for a step-up request, a
 * step down's for a step-down one).
 */
export function outcomesIn(state: CaseState): DecisionOutcome[] {
  const snapshot = caseJourneyMachine.resolveState({ value: state, context: startJourney("early_help").context });
  const at = new Date(0).toISOString();
  return DECISION_OUTCOMES.filter((outcome) => snapshot.can({ type: "PANEL_DECISION", at, outcome }));
}
