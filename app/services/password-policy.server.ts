import { dictionary } from "@zxcvbn-ts/language-common";

/**
 * What a password must be (OWASP ASVS 5.0 level 2): at least 12 characters
 * and up to 200 (so passphrases fit), not one of the ~49,000 commonly used
 * and breached passwords shipped with the app (checked offline), and not
 * built from the person's own name or email address.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

const COMMON = new Set((dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()));

/** Letters and digits only, lower case: "Chris.Crewe-2026!" and "chriscrewe2026" compare alike. */
const plain = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

/** Why a password may not be used, in words for the field; null when it may. */
export function passwordProblem(password: string, person: { name?: string | null; email?: string | null } = {}): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `Your password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Your password must be ${MAX_PASSWORD_LENGTH} characters or fewer`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || COMMON.has(plain(password)) || COMMON.has(lower.replace(/\d+$/, ""))) {
    return "This password is too common and is on lists used by attackers: choose another, like three or four random words";
  }
  const flat = plain(password);
  const parts = [
    ...(person.name ?? "").split(/\s+/),
    person.name ?? "",
    ...(person.email ?? "").split("@")[0].split(/[._+-]/),
    (person.email ?? "").split("@")[0],
  ]
    .map(plain)
    .filter((p) => p.length >= 3);
  if (parts.some((p) => flat.includes(p))) return "Your password must not contain your name or email address";
  return null;
}
