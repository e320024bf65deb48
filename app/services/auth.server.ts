import { insertAuditEvent } from "../../db/queries/audit";
import { deleteSession, findSessionWithUser, insertSession, touchSession } from "../../db/queries/sessions";
import { countAttemptsForIpSince, recordSignInAttempt } from "../../db/queries/sign-in-attempts";
import { findUsablePasswordToken, usePasswordToken } from "../../db/queries/password-tokens";
import { deleteOtherSessionsForUser, deleteSessionsForUser } from "../../db/queries/sessions";
import { findUserByEmailForSignIn, findUserWithPassword, setCalendarTokenHash, updateUser } from "../../db/queries/users";
import { FormError } from "../lib/errors";
import { passwordProblem } from "./password-policy.server";
import { MINUTE } from "../lib/clock";
import { announceAccessChange } from "./panel-access.server";
import type { CurrentUser, Deps } from "../lib/context";
import { hashPassword, verifyPassword } from "./passwords.server";
import { secondFactorRequired } from "./second-factor.server";
import { mustWaitUntil, recordGuess, recentGuesses, throttledUntil, waitInWords } from "./guess-throttle.server";

export { throttledUntil };
import { newSessionToken, sessionIdFor } from "./session-token.server";

export { sessionIdFor };

/** Beyond this many failed attempts from one address in 15 minutes, sign-in answers "too many". */
export const IP_ATTEMPT_LIMIT = 50;
export const IP_WINDOW_MS = 15 * MINUTE;
/** A session ends after this long whatever its activity. */
export const SESSION_MAX_AGE_MS = 12 * 60 * MINUTE;

/** What a half-signed-in session still has to do: give a code, or set a second factor up. */
export type SessionPending = "code" | "set_up" | null;

export type SignInResult =
  | { ok: true; token: string; user: CurrentUser; pending: SessionPending }
  | { ok: false; reason: "incorrect" }
  | { ok: false; reason: "throttled"; until: Date }
  | { ok: false; reason: "rate_limited" };

export async function signIn(
  deps: Deps,
  input: { email: string; password: string; ip: string | null; previousSessionId?: string | null },
): Promise<SignInResult> {
  const { db, clock } = deps;
  const now = clock.now();
  const email = input.email.trim().toLowerCase();

  if (input.ip) {
    const fromIp = await countAttemptsForIpSince(db, input.ip, new Date(now.getTime() - IP_WINDOW_MS));
    if (fromIp >= IP_ATTEMPT_LIMIT) {
      await insertAuditEvent(db, {
        at: now,
        actorUserId: null,
        action: "sign_in.rate_limited",
        ip: input.ip,
        detail: { email },
      });
      return { ok: false, reason: "rate_limited" };
    }
  }

  const recent = await recentGuesses(db, { email, ip: input.ip, kind: "password" }, now);
  const waitUntil = throttledUntil(recent, now);
  if (waitUntil) {
    // Attempts while waiting are audited but not counted, so nobody can stretch the wait.
    await insertAuditEvent(db, {
      at: now,
      actorUserId: null,
      action: "sign_in.throttled",
      ip: input.ip,
      detail: { email },
    });
    return { ok: false, reason: "throttled", until: waitUntil };
  }

  const user = await findUserByEmailForSignIn(db, email);
  const passwordOk = await verifyPassword(user?.password_hash ?? null, input.password);
  const succeeded = Boolean(user && user.active && user.password_hash && passwordOk);
  // The password is one factor: someone with a second one set up gives it next,
  // and someone whose role requires one and has none sets it up before anything else.
  const pending: SessionPending =
    succeeded && user
      ? user.totp_enabled_at || user.has_passkeys
        ? "code"
        : (await secondFactorRequired(deps, user.role))
          ? "set_up"
          : null
      : null;

  return db.transaction().execute(async (trx) => {
    await recordSignInAttempt(trx, { email, ip: input.ip, succeeded, at: now });
    if (!succeeded || !user) {
      await insertAuditEvent(trx, {
        at: now,
        actorUserId: user?.id ?? null,
        action: "sign_in.failed",
        recordType: user ? "user" : undefined,
        recordId: user?.id,
        ip: input.ip,
        detail: { email, reason: user && !user.active ? "inactive" : "incorrect" },
      });
      const after = throttledUntil([...recent, { succeeded: false, at: now }], now);
      if (after) return { ok: false as const, reason: "throttled" as const, until: after };
      return { ok: false as const, reason: "incorrect" as const };
    }
    // A new session id on every sign-in: a session fixed before sign-in is worthless after it.
    if (input.previousSessionId) await deleteSession(trx, input.previousSessionId);
    const token = newSessionToken();
    await insertSession(trx, { id: sessionIdFor(token), userId: user.id, at: now, ip: input.ip, pending });
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: user.id,
      action: pending ? "sign_in.password_accepted" : "sign_in.succeeded",
      recordType: "user",
      recordId: user.id,
      ip: input.ip,
      detail: pending ? { next: pending } : undefined,
    });
    const session = await findSessionWithUser(trx, sessionIdFor(token));
    return { ok: true as const, token, user: toCurrentUser(session!), pending };
  });
}

type SessionRow = NonNullable<Awaited<ReturnType<typeof findSessionWithUser>>>;

function toCurrentUser(row: SessionRow): CurrentUser {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    agencyId: row.agency_id,
    agencyName: row.agency_name,
    agencyKind: row.agency_kind,
    areaId: row.area_id,
    allAreas: row.all_areas,
  };
}

/** A session signs its person in while it is neither idle too long nor too old, and the person is active. */
function sessionLive(row: { last_seen_at: Date; created_at: Date; active: boolean }, now: number, idleMinutes: number) {
  const idle = now - row.last_seen_at.getTime() > idleMinutes * MINUTE;
  const tooOld = now - row.created_at.getTime() > SESSION_MAX_AGE_MS;
  return !idle && !tooOld && row.active;
}

/**
 * The person a signed-in session still signs in (as they are now), or null,
 * without counting as activity: for
 * responses that stay open (the live page's event stream), checked again before
 * each thing they send, so signing out everywhere, deactivation or expiry ends
 * them at once.
 */
export async function standingUser(deps: Deps & { idleMinutes: number }, sessionId: string | null): Promise<CurrentUser | null> {
  if (!sessionId) return null;
  const row = await findSessionWithUser(deps.db, sessionId);
  return row && !row.pending && sessionLive(row, deps.clock.now().getTime(), deps.idleMinutes) ? toCurrentUser(row) : null;
}

/**
 * The signed-in user for a session token, or null when the session is unknown,
 * idle too long, too old, or its user deactivated. Refreshes the idle timer at
 * most once a minute so a page view is not a write.
 */
export async function resolveSession(
  deps: Deps & { idleMinutes: number },
  token: string,
): Promise<{ sessionId: string; user: CurrentUser; pending: SessionPending } | null> {
  const { db, clock } = deps;
  const id = sessionIdFor(token);
  const row = await findSessionWithUser(db, id);
  if (!row) return null;
  const now = clock.now().getTime();
  if (!sessionLive(row, now, deps.idleMinutes)) {
    await deleteSession(db, id);
    return null;
  }
  if (now - row.last_seen_at.getTime() > MINUTE) await touchSession(db, id, new Date(now));
  return { sessionId: id, user: toCurrentUser(row), pending: row.pending };
}

/** Ends this session, or every session of the person when they ask. */
export async function signOut(deps: Deps, session: { sessionId: string; userId: number; ip: string | null; everywhere?: boolean }) {
  await deps.db.transaction().execute(async (trx) => {
    await deleteSession(trx, session.sessionId);
    const others = session.everywhere ? await deleteOtherSessionsForUser(trx, session.userId, session.sessionId) : 0;
    // Everywhere includes the calendar apps holding their private feed address: it stops working too.
    if (session.everywhere) await setCalendarTokenHash(trx, session.userId, null);
    await insertAuditEvent(trx, {
      at: deps.clock.now(),
      actorUserId: session.userId,
      action: session.everywhere ? "sign_out.everywhere" : "sign_out",
      recordType: "user",
      recordId: session.userId,
      ip: session.ip,
      detail: session.everywhere ? { otherSessionsEnded: others, calendarFeedEnded: true } : undefined,
    });
  });
  await announceAccessChange(deps, session.userId);
}

/** Sets a password from an invitation link; the link works once. */
export async function setPasswordWithToken(deps: Deps, input: { token: string; password: string; ip: string | null }) {
  const id = sessionIdFor(input.token);
  const now = deps.clock.now();
  const found = await findUsablePasswordToken(deps.db, id, now);
  if (!found) return { ok: false as const };
  const problem = passwordProblem(input.password, found);
  if (problem) throw new FormError({ password: problem });
  const passwordHash = await hashPassword(input.password);
  const result = await deps.db.transaction().execute(async (trx) => {
    if (!(await usePasswordToken(trx, id, now))) return { ok: false as const };
    await updateUser(trx, found.user_id, { password_hash: passwordHash, updated_at: now });
    await deleteSessionsForUser(trx, found.user_id);
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: found.user_id,
      action: "user.password_set",
      recordType: "user",
      recordId: found.user_id,
      ip: input.ip,
    });
    return { ok: true as const, email: found.email };
  });
  if (result.ok) await announceAccessChange(deps, found.user_id);
  return result;
}

/**
 * A signed-in person changes their own password: the current one is asked for,
 * the new one must meet the policy, and every other session of theirs ends
 * (this one stays signed in).
 */
export async function changeOwnPassword(
  deps: Deps,
  actor: { user: { id: number }; sessionId: string; ip: string | null },
  input: { current: string; password: string },
) {
  const user = await findUserWithPassword(deps.db, actor.user.id);
  if (!user || !user.active) throw new FormError({ form: "Your account cannot change its password" });
  // Guessing the current password is slowed and audited like signing in.
  const guesser = { email: user.email, ip: actor.ip, kind: "current_password" as const };
  const started = deps.clock.now();
  const wait = await mustWaitUntil(deps.db, guesser, started);
  if (wait) throw new FormError({ current: `Too many wrong passwords: wait ${waitInWords(wait, started)} and try again` });
  const currentOk = await verifyPassword(user.password_hash, input.current);
  await recordGuess(deps.db, guesser, currentOk, started);
  if (!currentOk) {
    await insertAuditEvent(deps.db, {
      at: started,
      actorUserId: user.id,
      action: "sign_in.current_password_failed",
      recordType: "user",
      recordId: user.id,
      ip: actor.ip,
    });
    throw new FormError({ current: "Your current password is not right" });
  }
  const problem = passwordProblem(input.password, user);
  if (problem) throw new FormError({ password: problem });
  if (await verifyPassword(user.password_hash, input.password))
    throw new FormError({ password: "Choose a password you have not been using" });
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { password_hash: passwordHash, updated_at: now });
    const ended = await deleteOtherSessionsForUser(trx, user.id, actor.sessionId);
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: user.id,
      action: "user.password_changed",
      recordType: "user",
      recordId: user.id,
      ip: actor.ip,
      detail: { otherSessionsEnded: ended },
    });
  });
  await announceAccessChange(deps, user.id);
}

export async function passwordTokenIsUsable(deps: Deps, token: string) {
  return Boolean(await findUsablePasswordToken(deps.db, sessionIdFor(token), deps.clock.now()));
}
