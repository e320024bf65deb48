import type { Database } from "../connect";

export function listAgenciesWithSignIn(db: Database) {
  return db
    .selectFrom("agencies")
    .select(["id", "name"])
    .where("active", "=", true)
    .where("oidc_issuer", "is not", null)
    .where("oidc_client_id", "is not", null)
    .orderBy("name")
    .execute();
}

export function findAgencySignIn(db: Database, agencyId: number) {
  return db
    .selectFrom("agencies")
    .select(["id", "name", "oidc_issuer", "oidc_client_id", "oidc_client_secret", "oidc_email_domains"])
    .where("id", "=", agencyId)
    .where("active", "=", true)
    .executeTakeFirst();
}

export function insertOidcLogin(
  db: Database,
  login: { stateHash: string; agencyId: number; nonce: string; codeVerifier: string; returnTo: string; browserHash: string; at: Date },
) {
  return db
    .insertInto("oidc_logins")
    .values({
      state_hash: login.stateHash,
      agency_id: login.agencyId,
      nonce: login.nonce,
      code_verifier: login.codeVerifier,
      return_to: login.returnTo,
      browser_hash: login.browserHash,
      created_at: login.at,
    })
    .execute();
}

/** Takes a sign-in in flight by its state: it is deleted as it is read, so a state works once. */
export async function takeOidcLogin(db: Database, stateHash: string) {
  return db.deleteFrom("oidc_logins").where("state_hash", "=", stateHash).returningAll().executeTakeFirst();
}

export function deleteOidcLoginsBefore(db: Database, before: Date) {
  return db.deleteFrom("oidc_logins").where("created_at", "<", before).execute();
}
