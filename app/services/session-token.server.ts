import { createHash, randomBytes } from "node:crypto";

/** A new session token for the cookie; only its hash is stored. */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The stored id of a session: SHA-256 of its token, so a database leak is no key. */
export function sessionIdFor(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
