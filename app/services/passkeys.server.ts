import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type WebAuthnCredential,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { insertAuditEvent } from "../../db/queries/audit";
import {
  deletePasskey,
  findPasskey,
  findSecondFactor,
  insertPasskey,
  listPasskeys,
  listUnusedRecoveryCodes,
  replaceRecoveryCodes,
  setWebauthnChallenge,
  takeWebauthnChallenge,
  advancePasskeyCounter,
} from "../../db/queries/second-factor";
import type { Actor, Deps } from "../lib/context";
import { FormError, NotFound } from "../lib/errors";
import { issueRecoveryCodes, promoteSession, secondFactorFailed, secondFactorRequired } from "./second-factor.server";

const RP_NAME = "Threshold";
type Transports = WebAuthnCredential["transports"];

/** The site a passkey belongs to: the web address people use (its host name is the passkey's relying party). */
export interface PasskeySite {
  origin: string;
}

function rpIdOf(site: PasskeySite) {
  return new URL(site.origin).hostname;
}

function fromBase64Url(value: string) {
  return new Uint8Array(Buffer.from(value, "base64url"));
}

/** Options for the browser to make a new passkey; the challenge is kept on the session it was asked from. */
export async function passkeyRegistrationOptions(deps: Deps, input: { userId: number; sessionId: string; site: PasskeySite }) {
  const user = await findSecondFactor(deps.db, input.userId);
  if (!user) throw new NotFound();
  const existing = await listPasskeys(deps.db, input.userId);
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rpIdOf(input.site),
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(`threshold-user-${user.id}`),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports as Transports })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  await setWebauthnChallenge(deps.db, input.sessionId, options.challenge);
  return options;
}

/**
 * Keeps a new passkey once the browser's answer to the session's challenge
 * checks out. Someone's first second factor also gets their ten recovery codes,
 * returned this once.
 */
export async function registerPasskey(
  deps: Deps,
  input: { userId: number; sessionId: string; site: PasskeySite; response: RegistrationResponseJSON; name: string; ip: string | null },
): Promise<{ codes: string[] | null }> {
  const challenge = await takeWebauthnChallenge(deps.db, input.sessionId);
  if (!challenge) throw new FormError({ passkey: "Start adding the passkey again" });
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: input.site.origin,
      expectedRPID: rpIdOf(input.site),
      requireUserVerification: false,
    });
  } catch {
    throw new FormError({ passkey: "The passkey could not be checked. Try again" });
  }
  if (!verified.verified) throw new FormError({ passkey: "The passkey could not be checked. Try again" });
  const { credential } = verified.registrationInfo;
  const now = deps.clock.now();
  const firstFactor = (await listUnusedRecoveryCodes(deps.db, input.userId)).length === 0;
  return deps.db.transaction().execute(async (trx) => {
    await insertPasskey(trx, {
      id: credential.id,
      userId: input.userId,
      publicKey: Buffer.from(credential.publicKey).toString("base64url"),
      counter: credential.counter,
      transports: credential.transports ?? [],
      name: input.name,
      at: now,
    });
    const codes = firstFactor ? await issueRecoveryCodes(trx, input.userId) : null;
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: input.userId,
      action: "user.passkey_added",
      recordType: "user",
      recordId: input.userId,
      ip: input.ip,
      detail: { name: input.name },
    });
    return { codes };
  });
}

/** Options for the browser to sign with one of the person's passkeys. */
export async function passkeySignInOptions(deps: Deps, input: { userId: number; sessionId: string; site: PasskeySite }) {
  const passkeys = await listPasskeys(deps.db, input.userId);
  if (!passkeys.length) throw new FormError({ passkey: "You have no passkey: enter a code instead" });
  const options = await generateAuthenticationOptions({
    rpID: rpIdOf(input.site),
    allowCredentials: passkeys.map((p) => ({ id: p.id, transports: p.transports as Transports })),
    userVerification: "preferred",
  });
  await setWebauthnChallenge(deps.db, input.sessionId, options.challenge);
  return options;
}

/**
 * The second step of signing in with a passkey: the browser's signature over
 * the session's challenge, from one of the person's passkeys. Wrong answers
 * count with wrong codes toward ending the half-signed-in session.
 */
export async function completeSignInWithPasskey(
  deps: Deps,
  input: { userId: number; sessionId: string; site: PasskeySite; response: AuthenticationResponseJSON; ip: string | null },
) {
  const challenge = await takeWebauthnChallenge(deps.db, input.sessionId);
  const passkey = typeof input.response?.id === "string" ? await findPasskey(deps.db, input.userId, input.response.id) : undefined;
  let ok = false;
  let newCounter = 0;
  if (challenge && passkey) {
    try {
      const verified = await verifyAuthenticationResponse({
        response: input.response,
        expectedChallenge: challenge,
        expectedOrigin: input.site.origin,
        expectedRPID: rpIdOf(input.site),
        credential: {
          id: passkey.id,
          publicKey: fromBase64Url(passkey.public_key),
          counter: Number(passkey.counter),
          transports: passkey.transports as Transports,
        },
        requireUserVerification: false,
      });
      ok = verified.verified;
      newCounter = verified.authenticationInfo.newCounter;
    } catch {
      ok = false;
    }
  }
  const now = deps.clock.now();
  if (ok && passkey && (await advancePasskeyCounter(deps.db, passkey.id, newCounter, now))) {
    return promoteSession(deps, { sessionId: input.sessionId, userId: input.userId, ip: input.ip, detail: { factor: "passkey" } });
  }
  return secondFactorFailed(deps, { sessionId: input.sessionId, userId: input.userId, ip: input.ip, factor: "passkey" });
}

/** Removes one of one's own passkeys, unless it is the last second factor of a role that requires one. */
export async function removeOwnPasskey(deps: Deps & { settings?: { twoFactorByDefault?: boolean } }, actor: Actor, id: string) {
  const [user, passkeys] = await Promise.all([findSecondFactor(deps.db, actor.user.id), listPasskeys(deps.db, actor.user.id)]);
  if (!passkeys.some((p) => p.id === id)) throw new NotFound();
  const last = !user?.totp_enabled_at && passkeys.length === 1;
  if (last && (await secondFactorRequired(deps, actor.user.role))) {
    throw new FormError({ passkey: "Your role must use two-factor authentication: add another passkey or the app first" });
  }
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await deletePasskey(trx, actor.user.id, id);
    if (last) await replaceRecoveryCodes(trx, actor.user.id, []);
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: "user.passkey_removed",
      recordType: "user",
      recordId: actor.user.id,
      ip: actor.ip,
    });
  });
}
