import type { Database } from "../../db/connect";
import { ConflictError, refusalKind, TransitionRefused } from "../lib/errors";

/** One event's outcome from a pure machine: the new snapshot, or a refusal. */
export type MachineStep<State extends string, Snapshot> = { ok: true; from: State; to: State; next: Snapshot } | { ok: false; from: State };

/**
 * How one kind of record keeps its machine: where its snapshot is, how an event
 * is applied (the pure machine), and how the new state is written and recorded
 * in the caller's transaction.
 */
export interface MachineRecord<
  Row extends { version: number; status: string },
  Event extends { type: string; at: string },
  State extends string,
  Snapshot,
> {
  /** What the record is called on the page: "case", "panel", "challenge". */
  name: string;
  apply(row: Row, event: Event): MachineStep<State, Snapshot>;
  /** How the state reads to a person, for a refusal. */
  label(state: string): string;
  /** Writes status + snapshot + version if the row is still at `row.version`; false when someone else got there first. */
  write(trx: Database, row: Row, step: { from: State; to: State; next: Snapshot }, event: Event): Promise<boolean>;
  /** The transition's history row: who, when, which event, from and to. */
  record(trx: Database, row: Row, step: { from: State; to: State; next: Snapshot }, event: Event): Promise<void>;
}

/**
 * The one way any record's machine is driven: check the version the form was
 * read at, apply the event, refuse with a typed error (never ignore), then
 * persist state, snapshot, version and history row in the caller's transaction.
 * The row (already locked by the caller) is brought up to date in place.
 */
export async function drive<
  Row extends { version: number; status: string },
  Event extends { type: string; at: string },
  State extends string,
  Snapshot,
>(
  trx: Database,
  machine: MachineRecord<Row, Event, State, Snapshot>,
  row: Row,
  event: Event,
  options: { expectedVersion?: number } = {},
): Promise<{ from: State; to: State; next: Snapshot }> {
  const conflict = (version: number) =>
    new ConflictError({ status: row.status, version, changes: [`someone else changed this ${machine.name}`] }, machine.name);
  if (options.expectedVersion !== undefined && row.version !== options.expectedVersion) throw conflict(row.version);
  const step = machine.apply(row, event);
  if (!step.ok) throw new TransitionRefused(machine.label(step.from), event.type, machine.name);
  if (!(await machine.write(trx, row, step, event))) throw conflict(row.version + 1);
  await machine.record(trx, row, step, event);
  row.version += 1;
  row.status = step.to;
  return step;
}

/** Whether an error is a machine refusing an event (for a caller that turns it into its own words). */
export function isRefused(error: unknown): error is TransitionRefused {
  // By brand, as the route edge does: the same class can be loaded twice (bundle and source).
  return refusalKind(error) === "transition";
}
