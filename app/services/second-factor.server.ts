import { announceAccessChange } from "./panel-access.server";
import type { AuditDetail } from "../../domain/audit";
import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { insertAuditEvent } from "../../db/queries/audit";
import {
  clearSecondFactor,
  countCodeFailure,
  enableTotp,
  findRoleSetting,
  findSecondFactor,
  listPasskeys,
  listRoleSettings,
  listUnusedRecoveryCodes,
  replaceRecoveryCodes,
  saveRoleSetting,
  setUnconfirmedSecret,
  takeTimeStep,
  spendRecoveryCode,
} from "../../db/queries/second-factor";
import { deleteSession, deleteSessionsForUser, insertSession } from "../../db/queries/sessions";
import { findUserById } from "../../db/queries/users";
import { ROLES, type Role } from "../lib/organisation";
import { FormError, NotFound } from "../lib/errors";
import type { Database } from "../../db/connect";
import type { Actor, Deps } from "../lib/context";
import { may } from "../lib/policy";
import { newSessionToken, sessionIdFor } from "./session-token.server";
import { mustWaitUntil, recordGuess } from "./guess-throttle.server";

/** Wrong codes a half-signed-in session may send before it ends and the password is asked for again. */
export const CODE_FAILURE_LIMIT = 5;
export const RECOVERY_CODE_COUNT = 10;
const ISSUER = "Threshold";
// No 0/O, 1/I/L: codes are read off paper.
const RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** Whether a role must use a second factor: its setting, or the default (required in production). */
export async function secondFactorRequired(deps: Deps & { settings?: { twoFactorByDefault?: boolean } }, role: Role) {
  const setting = await findRoleSetting(deps.db, role);
  return setting ? setting.two_factor_required : Boolean(deps.settings?.twoFactorByDefault);
}

/** Each role's setting as it applies now, for the admin page and the start-up warning. */
export async function roleSecondFactorSettings(deps: Deps, byDefault: boolean) {
  const saved = new Map((await listRoleSettings(deps.db)).map((s) => [s.role, s.two_factor_required]));
  return ROLES.map((role) => ({ role, required: saved.get(role) ?? byDefault, saved: saved.has(role) }));
}

export async function saveRoleSecondFactorSettings(deps: Deps, actor: Actor, required: Role[]) {
  if (!may(actor.user, "administer")) throw new NotFound();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    for (const role of ROLES) await saveRoleSetting(trx, role, required.includes(role), now);
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: "security.second_factor_roles_changed",
      ip: actor.ip,
      detail: { required, notRequired: ROLES.filter((r) => !required.includes(r)) },
    });
  });
}

function totpFor(email: string, base32: string) {
  return new TOTP({ issuer: ISSUER, label: email, algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(base32) });
}

/** The 30-second step a six-digit code belongs to (one step either side allowed for clock drift), or null. */
export function timeStepOf(base32: string, code: string, now: Date): number | null {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpFor("x", base32).validate({ token, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / 30_000) + delta;
}

/** The code an authenticator app would show now (used by the tests, as the app would). */
export function currentCode(base32: string, now: Date): string {
  return totpFor("x", base32).generate({ timestamp: now.getTime() });
}

function normaliseRecoveryCode(code: string) {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

function hashRecoveryCode(code: string, salt = randomBytes(16).toString("hex")) {
  return `${salt}:${createHash("sha256")
    .update(salt + normaliseRecoveryCode(code))
    .digest("hex")}`;
}

function recoveryCodeMatches(stored: string, code: string) {
  const [salt] = stored.split(":");
  const a = Buffer.from(hashRecoveryCode(code, salt));
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Ten new codes of 16 characters (80 bits each) replace a person's others:
 * kept only salted and hashed, returned this once to be shown.
 */
export async function issueRecoveryCodes(trx: Database, userId: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 16 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join("");
    return chars.match(/.{4}/g)!.join("-");
  });
  await replaceRecoveryCodes(
    trx,
    userId,
    codes.map((c) => hashRecoveryCode(c)),
  );
  return codes;
}

export interface TwoFactorSetUp {
  /** The key to type into an authenticator app, in groups of four. */
  manualKey: string;
  qrSvg: string;
  email: string;
}

/**
 * What an authenticator app needs to start: a new secret is made the first
 * time, and kept unconfirmed until a code from it is given back.
 */
export async function beginSetUp(deps: Deps, userId: number): Promise<TwoFactorSetUp | null> {
  const user = await findSecondFactor(deps.db, userId);
  if (!user) throw new NotFound();
  // Already set up (for instance the page reloading after its form was sent): nothing to begin.
  if (user.totp_enabled_at) return null;
  let secret = user.totp_secret;
  if (!secret) {
    secret = new Secret({ size: 20 }).base32;
    await setUnconfirmedSecret(deps.db, userId, secret);
  }
  const uri = totpFor(user.email, secret).toString();
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
  return { manualKey: secret.match(/.{1,4}/g)!.join(" "), qrSvg, email: user.email };
}

/**
 * Confirms set-up with a code from the app: the second factor is then in use
 * and ten recovery codes are made, returned this once.
 */
export async function confirmSetUp(deps: Deps, input: { userId: number; code: string; ip: string | null }): Promise<string[]> {
  const user = await findSecondFactor(deps.db, input.userId);
  if (!user?.totp_secret || user.totp_enabled_at) throw new FormError({ code: "Start setting up two-factor authentication again" });
  const now = deps.clock.now();
  const step = timeStepOf(user.totp_secret, input.code, now);
  if (step === null) throw new FormError({ code: "The code is not right: enter the 6-digit code your app shows now" });
  return deps.db.transaction().execute(async (trx) => {
    if (!(await takeTimeStep(trx, user.id, step))) throw new FormError({ code: "That code has been used: wait for the next one" });
    await enableTotp(trx, user.id, now);
    const codes = await issueRecoveryCodes(trx, user.id);
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: user.id,
      action: "user.second_factor_set_up",
      recordType: "user",
      recordId: user.id,
      ip: input.ip,
    });
    return codes;
  });
}

/** Whether a person's code (from the app, or a recovery code) is right now; each is good once. */
async function checkCode(deps: Deps, userId: number, code: string): Promise<"totp" | "recovery_code" | null> {
  const user = await findSecondFactor(deps.db, userId);
  if (!user) return null;
  const now = deps.clock.now();
  if (user.totp_secret && user.totp_enabled_at) {
    const step = timeStepOf(user.totp_secret, code, now);
    if (step !== null) return (await takeTimeStep(deps.db, user.id, step)) ? "totp" : null;
  }
  // Recovery codes stand in for any second factor (an app or passkeys).
  if (normaliseRecoveryCode(code).length !== 16) return null;
  for (const stored of await listUnusedRecoveryCodes(deps.db, user.id)) {
    if (recoveryCodeMatches(stored.code_hash, code)) return (await spendRecoveryCode(deps.db, stored.id, now)) ? "recovery_code" : null;
  }
  return null;
}

/** A refusal: `until` when further guesses must wait; `unchecked` when this one was refused for that without being looked at. */
export type SecondStepResult = { ok: true; token: string } | { ok: false; ended: boolean; until?: Date; unchecked?: boolean };

/** Second-factor guesses are counted per account and address across sessions: signing in again buys no fresh ones. */
async function secondFactorGuesser(deps: Deps, userId: number, ip: string | null) {
  const user = await findUserById(deps.db, userId);
  return { email: user?.email ?? `user:${userId}`, ip, kind: "second_factor" as const };
}

/**
 * The second step of signing in. A right code replaces the half-signed-in
 * session with a new, whole one (a new token: nothing learned before this
 * step is worth anything after it); too many wrong codes end the session.
 */
export async function completeSignIn(
  deps: Deps,
  input: { sessionId: string; userId: number; code: string; ip: string | null },
): Promise<SecondStepResult> {
  const now = deps.clock.now();
  const wait = await mustWaitUntil(deps.db, await secondFactorGuesser(deps, input.userId, input.ip), now);
  if (wait) {
    // Tries while waiting are audited but not counted or checked, so nobody can stretch the wait or sneak a guess in.
    await insertAuditEvent(deps.db, {
      at: now,
      actorUserId: input.userId,
      action: "sign_in.throttled",
      recordType: "user",
      recordId: input.userId,
      ip: input.ip,
      detail: { factor: "code" },
    });
    return { ok: false, ended: false, until: wait, unchecked: true };
  }
  const factor = await checkCode(deps, input.userId, input.code);
  if (!factor) return secondFactorFailed(deps, { ...input, factor: "code" });
  return promoteSession(deps, { ...input, detail: { factor } });
}

/**
 * A wrong code or passkey answer on a half-signed-in session: counted and
 * audited, and the fifth ends the session (the password is asked for again).
 */
export async function secondFactorFailed(
  deps: Deps,
  input: { sessionId: string; userId: number; ip: string | null; factor: "code" | "passkey" },
): Promise<{ ok: false; ended: boolean; until?: Date }> {
  const failures = await countCodeFailure(deps.db, input.sessionId);
  const ended = failures >= CODE_FAILURE_LIMIT;
  const now = deps.clock.now();
  const guesser = await secondFactorGuesser(deps, input.userId, input.ip);
  await deps.db.transaction().execute(async (trx) => {
    await recordGuess(trx, guesser, false, now);
    if (ended) await deleteSession(trx, input.sessionId);
    await insertAuditEvent(trx, {
      at: deps.clock.now(),
      actorUserId: input.userId,
      action: "sign_in.second_factor_failed",
      recordType: "user",
      recordId: input.userId,
      ip: input.ip,
      detail: { factor: input.factor, failures, sessionEnded: ended },
    });
  });
  return { ok: false, ended, until: (await mustWaitUntil(deps.db, guesser, now)) ?? undefined };
}

/** Ends a half-signed-in session and starts a whole one for the same person. */
export async function promoteSession(deps: Deps, input: { sessionId: string; userId: number; ip: string | null; detail: AuditDetail }) {
  const now = deps.clock.now();
  const token = newSessionToken();
  const guesser = await secondFactorGuesser(deps, input.userId, input.ip);
  await deps.db.transaction().execute(async (trx) => {
    await recordGuess(trx, guesser, true, now);
    await deleteSession(trx, input.sessionId);
    await insertSession(trx, { id: sessionIdFor(token), userId: input.userId, at: now, ip: input.ip });
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: input.userId,
      action: "sign_in.succeeded",
      recordType: "user",
      recordId: input.userId,
      ip: input.ip,
      detail: input.detail,
    });
  });
  return { ok: true as const, token };
}

/** Set-up finished during sign-in: the session becomes whole, with a new token. */
export async function confirmSetUpAtSignIn(deps: Deps, input: { sessionId: string; userId: number; code: string; ip: string | null }) {
  const codes = await confirmSetUp(deps, input);
  const promoted = await promoteSession(deps, { ...input, detail: { factor: "totp", setUp: true } });
  return { codes, token: promoted.token };
}

export interface SecondFactorStatus {
  /** Any second factor: the app, a passkey or both. */
  enabled: boolean;
  app: boolean;
  passkeys: Array<{ id: string; name: string; createdAt: Date; lastUsedAt: Date | null }>;
  required: boolean;
  recoveryCodesLeft: number;
}

export async function secondFactorStatus(
  deps: Deps & { settings?: { twoFactorByDefault?: boolean } },
  actor: Actor,
): Promise<SecondFactorStatus> {
  const [user, passkeys, codes] = await Promise.all([
    findSecondFactor(deps.db, actor.user.id),
    listPasskeys(deps.db, actor.user.id),
    listUnusedRecoveryCodes(deps.db, actor.user.id),
  ]);
  const app = Boolean(user?.totp_enabled_at);
  return {
    enabled: app || passkeys.length > 0,
    app,
    passkeys: passkeys.map((p) => ({ id: p.id, name: p.name, createdAt: p.created_at, lastUsedAt: p.last_used_at })),
    required: await secondFactorRequired(deps, actor.user.role),
    recoveryCodesLeft: codes.length,
  };
}

/** New recovery codes for a signed-in person, who proves it with a current code. */
export async function renewRecoveryCodes(deps: Deps, actor: Actor, code: string): Promise<string[]> {
  if (!(await checkCode(deps, actor.user.id, code)))
    throw new FormError({ code: "The code is not right: enter the 6-digit code your app shows now" });
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const codes = await issueRecoveryCodes(trx, actor.user.id);
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: "user.recovery_codes_renewed",
      recordType: "user",
      recordId: actor.user.id,
      ip: actor.ip,
    });
    return codes;
  });
}

/** Turns one's own second factor off, where one's role does not require it. */
export async function turnOffOwnSecondFactor(deps: Deps & { settings?: { twoFactorByDefault?: boolean } }, actor: Actor, code: string) {
  if (await secondFactorRequired(deps, actor.user.role)) throw new FormError({ code: "Your role must use two-factor authentication" });
  if (!(await checkCode(deps, actor.user.id, code)))
    throw new FormError({ code: "The code is not right: enter the 6-digit code your app shows now" });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await clearSecondFactor(trx, actor.user.id);
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: "user.second_factor_turned_off",
      recordType: "user",
      recordId: actor.user.id,
      ip: actor.ip,
    });
  });
}

/**
 * "Lost my device": an administrator clears a person's second factor and
 * recovery codes and ends their sessions; they set it up again at their next
 * sign-in. Audited with who asked.
 */
export async function resetSecondFactor(deps: Deps, actor: Actor, userId: number) {
  if (!may(actor.user, "administer")) throw new NotFound();
  const user = await findUserById(deps.db, userId);
  if (!user) throw new NotFound();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await clearSecondFactor(trx, userId);
    await deleteSessionsForUser(trx, userId);
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: "user.second_factor_reset",
      recordType: "user",
      recordId: userId,
      ip: actor.ip,
    });
  });
  await announceAccessChange(deps, userId);
}

/** Which second factors a person has, for the sign-in page to offer. */
export async function secondFactorsOf(deps: Deps, userId: number) {
  const [user, passkeys] = await Promise.all([findSecondFactor(deps.db, userId), listPasskeys(deps.db, userId)]);
  return { app: Boolean(user?.totp_enabled_at), passkeys: passkeys.length > 0 };
}
