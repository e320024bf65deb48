import { stringify } from "csv-stringify/sync";

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell that a spreadsheet would read as a formula (starting =, +, -, @,
 * tab or carriage return) is prefixed with an apostrophe, as OWASP advises for
 * CSV injection, so it opens as text. Numbers and dates are left as they are.
 */
export function neutraliseCell(value: unknown): unknown {
  return typeof value === "string" && FORMULA_START.test(value) ? `'${value}` : value;
}

/** Every CSV the app writes goes through here. */
export function toCsv(columns: string[], rows: unknown[][]): string {
  return stringify(
    rows.map((row) => row.map(neutraliseCell)),
    { header: true, columns },
  );
}
