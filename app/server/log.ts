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

/**
 * What may be logged of an error: its class, its code (a PostgreSQL SQLSTATE,
 * a Node error code) and where it was thrown. Never its message, which can
 * quote a query's parameters or a form's values.
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { errorClass: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    errorClass: error.constructor?.name || error.name,
    ...(typeof code === "string" || typeof code === "number" ? { code } : {}),
    at: (error.stack ?? "")
      .split("\n")
      .filter((line) => /^\s+at /.test(line))
      .slice(0, 5)
      .map((line) => line.trim()),
  };
}
