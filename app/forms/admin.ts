import { z } from "zod";
import { AGENCY_KINDS, ROLES } from "../../db/schema";
import { emailAddress, idFromSelect, requiredText, MAX_ID } from "../lib/validation";

export const userSchema = z.object({
  name: requiredText("Enter the person's full name", 200),
  email: emailAddress(),
  role: z.enum(ROLES, { error: "Select a role" }),
  agencyId: idFromSelect("Select an agency"),
  /** An area's id, "all" for a manager who acts for every area, or none. */
  areaId: z
    .union([z.literal(""), z.literal("all"), z.coerce.number().int().positive().max(MAX_ID)])
    .optional()
    .transform((v) => (v === "" || v === undefined ? null : v)),
  active: z
    .union([z.literal("yes"), z.literal("no")])
    .optional()
    .transform((v) => v !== "no"),
});
export type UserInput = z.output<typeof userSchema>;

export const newUserSchema = userSchema.extend({
  password: z
    .string()
    .max(200, "Password must be 200 characters or fewer")
    .refine((v) => v === "" || v.length >= 12, "Password must be at least 12 characters")
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type NewUserInput = z.output<typeof newUserSchema>;

export const areaSchema = z.object({ name: requiredText("Enter the area's name", 100) });

export const agencySchema = z.object({
  name: requiredText("Enter the agency's name", 200),
  kind: z.enum(AGENCY_KINDS, { error: "Select the kind of agency" }),
  active: z
    .union([z.literal("yes"), z.literal("no")])
    .optional()
    .transform((v) => v !== "no"),
});

export const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address").max(254, "Email address must be 254 characters or fewer"),
  password: z.string().min(1, "Enter your password").max(200, "Password must be 200 characters or fewer"),
});

export const setPasswordSchema = z
  .object({
    password: z.string().min(12, "Password must be at least 12 characters").max(200, "Password must be 200 characters or fewer"),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match" });

/** Changing your own password: the current one, then the new one twice (the policy is the service's). */
export const changePasswordSchema = z
  .object({
    current: z.string().min(1, "Enter your current password").max(200, "Password must be 200 characters or fewer"),
    password: z.string().min(12, "Password must be at least 12 characters").max(200, "Password must be 200 characters or fewer"),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match" });

/** An agency's OpenID Connect provider; all blank turns organisation sign-in off. */
export const agencySignInSchema = z
  .object({
    issuer: z.string().trim().max(500, "The issuer must be 500 characters or fewer"),
    clientId: z.string().trim().max(200, "The client ID must be 200 characters or fewer"),
    clientSecret: z.string().max(500, "The client secret must be 500 characters or fewer").optional(),
    domains: z.string().trim().max(1000, "List at most 1,000 characters of domains"),
  })
  .superRefine((v, ctx) => {
    if (!v.issuer && !v.clientId) return;
    let url: URL | null = null;
    try {
      url = new URL(v.issuer);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:"))
      ctx.addIssue({ code: "custom", path: ["issuer"], message: "Enter the issuer as a web address, like https://login.example.gov.uk" });
    if (!v.clientId) ctx.addIssue({ code: "custom", path: ["clientId"], message: "Enter the client ID the provider gave Threshold" });
    const domains = v.domains.split(/[\s,]+/).filter(Boolean);
    if (!domains.length)
      ctx.addIssue({ code: "custom", path: ["domains"], message: "Enter at least one email domain, like cheshire.gov.uk" });
    else if (domains.some((d) => !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(d.replace(/^@/, ""))))
      ctx.addIssue({ code: "custom", path: ["domains"], message: "Enter email domains like cheshire.gov.uk, separated by commas" });
  });

/** An administrator confirms or removes an account a chair made at a panel. */
export const settleAccountSchema = z.object({
  userId: z.coerce.number().int().positive().max(MAX_ID),
  intent: z.enum(["confirm", "remove"]),
});

/** The people an administrator names as the front-door team. */
export const frontDoorTeamSchema = z.object({
  "userIds[]": z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean).map(Number))
    .refine((ids) => ids.every((id) => Number.isSafeInteger(id) && id > 0 && id <= MAX_ID), "Choose people from the list"),
});

/** A whole number from a text box, in a range, with one message for anything else. */
function wholeNumber(message: string, min: number, max: number) {
  return z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number({ error: message }).int(message).min(min, message).max(max, message),
  );
}

/** An area's name, its panels' quorum (the agency kinds needed in the room and how many other agencies besides) and its hand-over clocks. */
export const areaWithQuorumSchema = areaSchema.extend({
  "quorumKinds[]": z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter(Boolean))
    .pipe(z.array(z.enum(AGENCY_KINDS, { error: "Choose agency kinds from the list" }))),
  quorumOthers: wholeNumber("Enter how many other agencies a panel needs, as a number from 0 to 10", 0, 10),
  leadWithinDays: wholeNumber("Enter the working days to name a lead practitioner, as a whole number from 0 to 10", 0, 10),
  transferWithinDays: wholeNumber("Enter the working days to hold the transfer meeting, as a whole number from 1 to 20", 1, 20),
});
