import { hash, verify } from "@node-rs/argon2";

// @node-rs/argon2 defaults to Argon2id with OWASP-recommended cost.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Checked against when the email is unknown so a wrong email costs the same time
// as a wrong password and does not reveal which accounts exist.
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$SS2JVu5D8bC3JO1xLAyLOA$RsaCi6rs0ExoQJBynufq8eVDXa5M6/SeA1Z8XHjtgwI";

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  try {
    return await verify(stored ?? DUMMY_HASH, password);
  } catch {
    return false;
  }
}
