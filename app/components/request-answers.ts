import type { FormValues } from "../lib/forms";

/** A draft's stored answers as form values (strings and string arrays only). */
export function answersAsValues(answers: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const [key, value] of Object.entries(answers)) {
    if (typeof value === "string") values[key] = value;
    else if (Array.isArray(value)) values[key] = value.map(String);
  }
  return values;
}
