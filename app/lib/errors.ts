import type { FieldErrors } from "./validation";

/**
 * The route modules are bundled by the Remix compiler while the server runs
 * from source, so the same class can exist twice and `instanceof` can miss.
 * Each refusal carries a brand from the global symbol registry instead.
 */
const REFUSAL = Symbol.for("threshold.refusal");

type RefusalKind = "form" | "conflict" | "transition" | "domain";

/** What kind of refusal an error is, whichever copy of this module made it. */
export function refusalKind(error: unknown): RefusalKind | null {
  return typeof error === "object" && error !== null ? ((error as Record<symbol, RefusalKind>)[REFUSAL] ?? null) : null;
}

function brand(error: Error, kind: RefusalKind) {
  Object.defineProperty(error, REFUSAL, { value: kind, enumerable: false });
}

/** A use case refused the input; the messages belong next to the named fields. */
export class FormError extends Error {
  constructor(public readonly fieldErrors: FieldErrors) {
    super("The form has errors");
    brand(this, "form");
  }
}

/** Someone else changed the record since the form was loaded. */
export class ConflictError extends Error {
  constructor(
    public readonly current: { status: string; version: number; changes: string[] },
    /** What changed, in the words of the page: "case", "panel", "schedule", "challenge". */
    public readonly record = "case",
  ) {
    super(`This ${record} changed while you were working`);
    brand(this, "conflict");
  }
}

/** The record cannot make this change in its current state (a stale or tampered form). */
export class TransitionRefused extends Error {
  constructor(
    public readonly from: string,
    public readonly event: string,
    /** Which kind of record refused: "case", "panel", "challenge". */
    public readonly record = "case",
  ) {
    super(`A ${record} in "${from}" cannot take "${event}"`);
    brand(this, "transition");
  }
}

/**
 * What a use case refuses, said in the domain's terms. Services, seeds and the
 * worker throw these; the one adapter at the route edge (app/server/route-edge.ts)
 * turns them into 404, 403, 400 or 409 pages.
 */
export class DomainError extends Error {
  constructor(
    public readonly status: 400 | 403 | 404 | 409,
    message: string,
  ) {
    super(message);
    brand(this, "domain");
  }
}

/** No such record, or one the person may not know exists. */
export class NotFound extends DomainError {
  constructor(message = "Page not found") {
    super(404, message);
  }
}

/** The person may see the record but not do this. */
export class NotAllowed extends DomainError {
  constructor(message = "You do not have permission to see this page") {
    super(403, message);
  }
}

/** The request itself could not be read (a tampered or malformed form or filter). */
export class BadRequest extends DomainError {
  constructor(message = "The request was not understood") {
    super(400, message);
  }
}

/** The record has moved on: this was done already, or can no longer be done. */
export class AlreadyDone extends DomainError {
  constructor(message: string) {
    super(409, message);
  }
}
