import * as oidc from "openid-client";
import { insertAuditEvent } from "../../db/queries/audit";
import {
  deleteOidcLoginsBefore,
  findAgencySignIn,
  insertOidcLogin,
  listAgenciesWithSignIn,
  takeOidcLogin,
} from "../../db/queries/organisation-sign-in";
import { deleteSession, insertSession } from "../../db/queries/sessions";
import { findUserByEmailForSignIn } from "../../db/queries/users";
import type { Deps } from "../lib/context";
import { MINUTE } from "../lib/clock";
import { newSessionToken, sessionIdFor } from "./session-token.server";

/** How long someone has at their organisation's sign-in page before they must start again. */
export const LOGIN_WINDOW_MS = 10 * MINUTE;

/** Why a sign-in through an organisation did not end in a session; each has words for the person. */
export type OrganisationSignInProblem = "expired" | "provider" | "no_email" | "domain" | "unknown_person";

export interface OrganisationSite {
  /** Where the provider sends people back: this site's address. */
  origin: string;
  /** Plain http: providers are accepted outside production only (tests run one on localhost). */
  allowHttp: boolean;
}

export function agenciesWithSignIn(deps: Deps) {
  return listAgenciesWithSignIn(deps.db);
}

const configurations = new Map<string, Promise<oidc.Configuration>>();

/** The provider's configuration, discovered once per issuer and client (discovery checks the issuer names itself). */
function configurationFor(
  agency: { oidc_issuer: string; oidc_client_id: string; oidc_client_secret: string | null },
  site: OrganisationSite,
) {
  const key = JSON.stringify([agency.oidc_issuer, agency.oidc_client_id, agency.oidc_client_secret, site.allowHttp]);
  let found = configurations.get(key);
  if (!found) {
    found = oidc.discovery(
      new URL(agency.oidc_issuer),
      agency.oidc_client_id,
      agency.oidc_client_secret ?? undefined,
      undefined,
      site.allowHttp ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
    // A failed discovery is tried afresh next time.
    found.catch(() => configurations.delete(key));
    configurations.set(key, found);
  }
  return found;
}

const callbackOf = (site: OrganisationSite) => `${site.origin}/sign-in/organisation/callback`;

/** Starts signing in at an agency's provider: the address to send the person to. */
export async function startOrganisationSignIn(
  deps: Deps,
  input: { agencyId: number; returnTo: string; site: OrganisationSite; browserToken: string },
) {
  const agency = await findAgencySignIn(deps.db, input.agencyId);
  if (!agency?.oidc_issuer || !agency.oidc_client_id) return null;
  const config = await configurationFor({ ...agency, oidc_issuer: agency.oidc_issuer, oidc_client_id: agency.oidc_client_id }, input.site);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const now = deps.clock.now();
  await deleteOidcLoginsBefore(deps.db, new Date(now.getTime() - LOGIN_WINDOW_MS));
  await insertOidcLogin(deps.db, {
    stateHash: sessionIdFor(state),
    agencyId: agency.id,
    nonce,
    codeVerifier,
    returnTo: input.returnTo,
    browserHash: sessionIdFor(input.browserToken),
    at: now,
  });
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: callbackOf(input.site),
    scope: "openid email",
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
}

export type OrganisationSignInResult = { ok: true; token: string; returnTo: string } | { ok: false; problem: OrganisationSignInProblem };

/**
 * The provider sent the person back. The state must be one this service
 * issued in the last ten minutes and not yet used; the code is exchanged
 * with the PKCE verifier; the ID token must come from the agency's issuer,
 * carry the nonce, and vouch for a verified email in one of the agency's
 * domains that belongs to an active person here. Nobody is ever created.
 */
export async function finishOrganisationSignIn(
  deps: Deps,
  input: { callbackUrl: URL; site: OrganisationSite; ip: string | null; previousSessionId: string | null; browserToken: string },
): Promise<OrganisationSignInResult> {
  const now = deps.clock.now();
  const state = input.callbackUrl.searchParams.get("state") ?? "";
  const login = state ? await takeOidcLogin(deps.db, sessionIdFor(state)) : undefined;
  const fail = async (problem: OrganisationSignInProblem, detail: Record<string, unknown> = {}) => {
    await insertAuditEvent(deps.db, {
      at: now,
      actorUserId: null,
      action: "sign_in.organisation_failed",
      recordType: login ? "agency" : undefined,
      recordId: login?.agency_id,
      ip: input.ip,
      detail: { problem, ...detail },
    });
    return { ok: false as const, problem };
  };
  if (!login || now.getTime() - new Date(login.created_at).getTime() > LOGIN_WINDOW_MS) return fail("expired");
  // Someone else's sign-in link, opened in this browser, signs nobody in here.
  if (login.browser_hash !== sessionIdFor(input.browserToken)) return fail("expired", { otherBrowser: true });
  const agency = await findAgencySignIn(deps.db, login.agency_id);
  if (!agency?.oidc_issuer || !agency.oidc_client_id) return fail("provider");
  let claims: oidc.IDToken | undefined;
  let email: unknown;
  let emailVerified: unknown;
  try {
    const config = await configurationFor(
      { ...agency, oidc_issuer: agency.oidc_issuer, oidc_client_id: agency.oidc_client_id },
      input.site,
    );
    // The callback is checked as the provider addressed it: this site's own callback address and its query.
    const current = new URL(`${callbackOf(input.site)}${input.callbackUrl.search}`);
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: login.code_verifier,
      expectedState: state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
    email = claims?.email;
    emailVerified = claims?.email_verified;
    // Providers that follow the letter of OpenID Connect give the email from userinfo, for the same subject.
    if (typeof email !== "string" && claims) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      email = info.email;
      emailVerified = info.email_verified;
    }
  } catch (error) {
    return fail("provider", { error: error instanceof Error ? error.name : "unknown" });
  }
  const address = typeof email === "string" ? email.trim().toLowerCase() : "";
  if (!address || emailVerified !== true) return fail("no_email", { issuer: claims?.iss });
  const domain = address.split("@")[1] ?? "";
  if (!(agency.oidc_email_domains as string[]).map((d) => d.toLowerCase()).includes(domain))
    return fail("domain", { issuer: claims?.iss, domain });
  const user = await findUserByEmailForSignIn(deps.db, address);
  if (!user?.active || user.agency_id !== agency.id) return fail("unknown_person", { issuer: claims?.iss, domain });

  const token = newSessionToken();
  await deps.db.transaction().execute(async (trx) => {
    if (input.previousSessionId) await deleteSession(trx, input.previousSessionId);
    await insertSession(trx, { id: sessionIdFor(token), userId: user.id, at: now, ip: input.ip });
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: user.id,
      action: "sign_in.succeeded",
      recordType: "user",
      recordId: user.id,
      ip: input.ip,
      detail: { factor: "organisation", agencyId: agency.id, issuer: claims?.iss },
    });
  });
  return { ok: true, token, returnTo: login.return_to };
}
