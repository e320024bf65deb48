/**
 * Whether an error means the database could not be reached (a restart, a
 * failover, a terminated connection, no connection free in time) rather than
 * that a query was wrong. Such a request is answered 503 "try again shortly";
 * the pool replaces the lost connection for the next one.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    // Class 08 is a lost or refused connection, except 08P01, a protocol violation: a bug, not an outage.
    if (typeof code === "string" && (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || (code.startsWith("08") && code !== "08P01")))
      return true;
    if (typeof message === "string" && LOST_CONNECTION.test(message)) return true;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
// admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down), too_many_connections.
const SERVER_CODES = new Set(["57P01", "57P02", "57P03", "53300"]);
const LOST_CONNECTION =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated unexpectedly)/;
