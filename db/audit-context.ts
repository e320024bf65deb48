import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The request a piece of work is done for, so every audit row names it
 * without each use case passing it along. The web server runs each request
 * inside `withAuditContext`; work outside a request (the worker, scripts)
 * has none.
 */
// One store per process, however many bundles load this module (the server and the Remix build each hold a copy).
const KEY = Symbol.for("threshold.audit-context");
const holder = globalThis as typeof globalThis & { [KEY]?: AsyncLocalStorage<{ requestId: string }> };
const storage = (holder[KEY] ??= new AsyncLocalStorage<{ requestId: string }>());

export function withAuditContext<T>(context: { requestId: string }, run: () => T): T {
  return storage.run(context, run);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
