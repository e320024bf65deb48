import type { FieldErrors } from "./validation";

/** A use case refused the input; the messages belong next to the named fields. */
export class FormError extends Error {
  constructor(public readonly fieldErrors: FieldErrors) {
    super("The form has errors");
  }
}

/** Someone else changed the record since the form was loaded. */
export class ConflictError extends Error {
  constructor(public readonly current: { status: string; version: number; changes: string[] }) {
    super("This case changed while you were working");
  }
}

/** The record cannot make this change in its current state (a stale or tampered form). */
export class TransitionRefused extends Error {
  constructor(public readonly from: string, public readonly event: string) {
    super(`A case in "${from}" cannot take "${event}"`);
  }
}
