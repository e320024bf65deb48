import { z } from "zod";
import { optionalText } from "../lib/validation";

/**
 * A person chosen for a role on a decision (who holds the risk, the lead
 * practitioner): someone with an account, picked from a list, or a named
 * contact with their role and agency, or (for a step down) the lead the request
 * proposed, accepted as written. Fields: <field> (a user id, "other" or
 * "proposed"), <field>Name, <field>Role, <field>Agency, <field>Proposed.
 */
export type ChosenPerson = { userId: number } | { name: string; role: string; agency: string } | { proposed: string };

export const OTHER_PERSON = "other";
/** The person a request proposed, accepted as written: <field>Proposed carries the request's words. */
export const PROPOSED_PERSON = "proposed";

/** Whose details each person field asks for, so every error names them. */
const WHOSE: Record<string, string> = {
  riskHolder: "the risk holder's",
  leadPractitioner: "the lead practitioner's",
  supervisor: "the supervisor's",
};
const whose = (field: string) => WHOSE[field] ?? "their";
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function chosenPersonFields<F extends string>(field: F) {
  return {
    [field]: z.string().trim().optional(),
    [`${field}Name`]: optionalText(120, capitalised(`${whose(field)} name`)),
    [`${field}Role`]: optionalText(120, capitalised(`${whose(field)} role`)),
    [`${field}Agency`]: optionalText(120, capitalised(`${whose(field)} agency or team`)),
    [`${field}Proposed`]: optionalText(200, capitalised(`${whose(field)} details proposed`)),
  } as { [K in F | `${F}Name` | `${F}Role` | `${F}Agency` | `${F}Proposed`]: z.ZodOptional<z.ZodString> };
}

/** Reads the choice, adding a field error for each missing part; null when nobody was chosen. */
export function readChosenPerson(
  values: Record<string, unknown>,
  field: string,
  ctx: z.RefinementCtx,
  options: { required: boolean; missing: string },
): ChosenPerson | null {
  const choice = typeof values[field] === "string" ? (values[field] as string) : "";
  if (!choice) {
    if (options.required) ctx.addIssue({ code: "custom", path: [field], message: options.missing });
    return null;
  }
  if (choice === OTHER_PERSON) {
    const name = values[`${field}Name`] as string | undefined;
    const role = values[`${field}Role`] as string | undefined;
    const agency = values[`${field}Agency`] as string | undefined;
    if (!name) ctx.addIssue({ code: "custom", path: [`${field}Name`], message: `Enter ${whose(field)} full name` });
    if (!role) ctx.addIssue({ code: "custom", path: [`${field}Role`], message: `Enter ${whose(field)} role, like family support worker` });
    if (!agency) ctx.addIssue({ code: "custom", path: [`${field}Agency`], message: `Enter ${whose(field)} agency or team` });
    return name && role && agency ? { name, role, agency } : null;
  }
  if (choice === PROPOSED_PERSON) {
    const proposed = values[`${field}Proposed`] as string | undefined;
    if (!proposed) ctx.addIssue({ code: "custom", path: [field], message: "Choose someone from the list" });
    return proposed ? { proposed } : null;
  }
  if (!/^[1-9]\d{0,9}$/.test(choice)) {
    ctx.addIssue({ code: "custom", path: [field], message: "Choose someone from the list" });
    return null;
  }
  return { userId: Number(choice) };
}

/** For re-reading values already checked. */
export const IGNORE_ISSUES = { addIssue() {}, value: undefined, issues: [] } as unknown as z.RefinementCtx;

/** How a named contact is written wherever the decision is shown. */
export function contactLabel(p: { name: string; role: string; agency: string }) {
  return `${p.name}, ${p.role}, ${p.agency}`;
}
