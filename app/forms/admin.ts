import { z } from "zod";
import { AGENCY_KINDS, ROLES } from "../../db/schema";
import { emailAddress, idFromSelect, requiredText, MAX_ID } from "../lib/validation";

export const ROLE_LABELS: Record<(typeof ROLES)[number], string> = {
  professional: "Professional (submits cases)",
  team_manager: "Team manager (chairs panels)",
  service_manager: "Service manager",
  head_of_service: "Head of service (answers stage 4 challenges)",
  partner: "Partner",
  admin: "Administrator",
  auditor: "Auditor (reads the audit trail)",
};

export const AGENCY_KIND_LABELS: Record<(typeof AGENCY_KINDS)[number], string> = {
  childrens_social_care: "Children's social care",
  early_help: "Early help",
  health: "Health",
  education: "Education",
  police: "Police",
  volunteer_family_support: "Volunteer family support",
  other: "Other",
};

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
