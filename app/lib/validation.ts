import { z } from "zod";

/** The largest id or version a database integer holds; anything above is not a record. */
export const MAX_ID = 2_147_483_647;

export type FieldErrors = Record<string, string>;

export type FormValues = Record<string, string | string[]>;

/** Form data as plain values; repeated names (checkboxes) become arrays. */
export function formValues(formData: FormData): FormValues {
  const values: FormValues = {};
  for (const key of new Set(formData.keys())) {
    if (key === "csrf" || key === "intent") continue;
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    values[key] = all.length > 1 || key.endsWith("[]") ? all : (all[0] ?? "");
  }
  return values;
}

export type Validated<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Runs one zod schema and keeps only the first message per field. */
export function validate<S extends z.ZodType>(schema: S, values: unknown): Validated<z.output<S>> {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "form";
    if (!errors[key]) errors[key] = issue.message;
  }
  return { ok: false, errors };
}

/**
 * What a required field is called, from the message that asks for it, for its
 * length error: "Enter the child's first name" → "The child's first name",
 * "Enter why the request is declined" → "The reason".
 */
export function fieldLabel(message: string): string {
  const asked = message.replace(/^(Enter|Describe|Give) /, "");
  if (/^why /.test(asked)) return "The reason";
  return asked.charAt(0).toUpperCase() + asked.slice(1);
}

// Building blocks with messages written for people, in the GOV.UK style: a length error names its field.
export const requiredText = (message: string, max = 2000, label = fieldLabel(message)) =>
  z.string({ error: message }).trim().min(1, message).max(max, `${label} must be ${max} characters or fewer`);

export const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be ${max} characters or fewer`)
    .optional()
    .transform((v) => (v ? v : undefined));

export const emailAddress = (message = "Enter an email address in the correct format, like name@example.org") =>
  z
    .string({ error: message })
    .trim()
    .min(1, "Enter an email address")
    .max(254, "Email address must be 254 characters or fewer")
    .pipe(z.email(message));

export const idFromSelect = (message: string) => z.coerce.number({ error: message }).int(message).positive(message).max(MAX_ID, message);
