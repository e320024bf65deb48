import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The request a piece of work is done for, so every audit row names it
 * without each use case passing it along. The web server runs each request
 * inside `withAuditContext`; work outside a request (the worker, scripts)
 * has none.
 */
const storage = new AsyncLocalStorage<{ requestId: string }>();

export function withAuditContext<T>(context: { requestId: string }, run: () => T): T {
  return storage.run(context, run);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
