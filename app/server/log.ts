/**
 * Structured logs: one JSON object per line. Callers pass identifiers and
 * measurements only; never a child's name, date of birth or address.
 */
export function log(level: "info" | "warn" | "error", msg: string, fields: Record<string, unknown> = {}) {
  if (process.env.LOG_LEVEL === "silent") return;
  if (process.env.LOG_LEVEL === "warn" && level === "info") return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  if (level === "info") process.stdout.write(line + "\n");
  else process.stderr.write(line + "\n");
}

export { describeError } from "../lib/describe-error";
