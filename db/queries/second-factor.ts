import { sql } from "kysely";
import type { Database } from "../connect";
import type { Role } from "../schema";

export function findSecondFactor(db: Database, userId: number) {
  return db
    .selectFrom("users")
    .select(["id", "email", "name", "role", "totp_secret", "totp_enabled_at", "totp_last_step"])
    .where("id", "=", userId)
    .executeTakeFirst();
}

/** Keeps a new, not yet confirmed secret (replacing any other unconfirmed one). */
export function setUnconfirmedSecret(db: Database, userId: number, secret: string) {
  return db
    .updateTable("users")
    .set({ totp_secret: secret, totp_enabled_at: null, totp_last_step: null })
    .where("id", "=", userId)
    .execute();
}

/**
 * Takes the time step a code was accepted for, only if it is later than the
 * last one taken: true when this code is the first use of its step.
 */
export async function takeTimeStep(db: Database, userId: number, step: number): Promise<boolean> {
  const result = await db
    .updateTable("users")
    .set({ totp_last_step: step })
    .where("id", "=", userId)
    .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", String(step))]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function enableTotp(db: Database, userId: number, at: Date) {
  return db.updateTable("users").set({ totp_enabled_at: at }).where("id", "=", userId).execute();
}

export async function clearSecondFactor(db: Database, userId: number) {
  await db.updateTable("users").set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null }).where("id", "=", userId).execute();
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  await db.deleteFrom("passkeys").where("user_id", "=", userId).execute();
}

export async function replaceRecoveryCodes(db: Database, userId: number, hashes: string[]) {
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  if (!hashes.length) return;
  await db
    .insertInto("recovery_codes")
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null })))
    .execute();
}

export function listUnusedRecoveryCodes(db: Database, userId: number) {
  return db.selectFrom("recovery_codes").select(["id", "code_hash"]).where("user_id", "=", userId).where("used_at", "is", null).execute();
}

/** Marks a recovery code used; false when another request used it first. */
export async function spendRecoveryCode(db: Database, id: number, at: Date): Promise<boolean> {
  const result = await db
    .updateTable("recovery_codes")
    .set({ used_at: at })
    .where("id", "=", id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function listRoleSettings(db: Database) {
  return db.selectFrom("role_settings").select(["role", "two_factor_required", "updated_at"]).execute();
}

export async function findRoleSetting(db: Database, role: Role) {
  return db.selectFrom("role_settings").select("two_factor_required").where("role", "=", role).executeTakeFirst();
}

export function saveRoleSetting(db: Database, role: Role, required: boolean, at: Date) {
  return db
    .insertInto("role_settings")
    .values({ role, two_factor_required: required, updated_at: at })
    .onConflict((oc) => oc.column("role").doUpdateSet({ two_factor_required: required, updated_at: at }))
    .execute();
}

/** Counts a wrong code against a half-signed-in session; returns the new count. */
export async function countCodeFailure(db: Database, sessionId: string): Promise<number> {
  const row = await db
    .updateTable("sessions")
    .set({ code_failures: sql`code_failures + 1` })
    .where("id", "=", sessionId)
    .returning("code_failures")
    .executeTakeFirst();
  return row?.code_failures ?? Number.MAX_SAFE_INTEGER;
}

export function listPasskeys(db: Database, userId: number) {
  return db
    .selectFrom("passkeys")
    .select(["id", "public_key", "counter", "transports", "name", "created_at", "last_used_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at")
    .execute();
}

export function findPasskey(db: Database, userId: number, id: string) {
  return db
    .selectFrom("passkeys")
    .select(["id", "public_key", "counter", "transports"])
    .where("user_id", "=", userId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export function insertPasskey(
  db: Database,
  passkey: { id: string; userId: number; publicKey: string; counter: number; transports: string[]; name: string; at: Date },
) {
  return db
    .insertInto("passkeys")
    .values({
      id: passkey.id,
      user_id: passkey.userId,
      public_key: passkey.publicKey,
      counter: passkey.counter,
      transports: JSON.stringify(passkey.transports),
      name: passkey.name,
      created_at: passkey.at,
    })
    .execute();
}

/** Records a use; false when the counter did not move on (a cloned authenticator), except for those that keep none. */
export async function advancePasskeyCounter(db: Database, id: string, counter: number, at: Date): Promise<boolean> {
  const result = await db
    .updateTable("passkeys")
    .set({ counter, last_used_at: at })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("counter", "<", String(counter)), eb.and([eb("counter", "=", "0"), eb.lit(counter === 0)])]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deletePasskey(db: Database, userId: number, id: string) {
  const result = await db.deleteFrom("passkeys").where("user_id", "=", userId).where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export function setWebauthnChallenge(db: Database, sessionId: string, challenge: string | null) {
  return db.updateTable("sessions").set({ webauthn_challenge: challenge }).where("id", "=", sessionId).execute();
}

/** The session's challenge, taken so it cannot be answered twice. */
export async function takeWebauthnChallenge(db: Database, sessionId: string): Promise<string | null> {
  const row = await db.selectFrom("sessions").select("webauthn_challenge").where("id", "=", sessionId).executeTakeFirst();
  if (!row?.webauthn_challenge) return null;
  const taken = await db
    .updateTable("sessions")
    .set({ webauthn_challenge: null })
    .where("id", "=", sessionId)
    .where("webauthn_challenge", "=", row.webauthn_challenge)
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1 ? row.webauthn_challenge : null;
}
