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
