import { sql, type Kysely } from "kysely";

/**
 * Signing in with an agency's own identity provider (OpenID Connect): its
 * issuer, this service's client id and secret there, and the email domains
 * that provider may vouch for. Each sign-in in flight keeps its state, nonce
 * and PKCE verifier here until the provider sends the person back (once).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table agencies
    add column oidc_issuer text,
    add column oidc_client_id text,
    add column oidc_client_secret text,
    add column oidc_email_domains jsonb not null default '[]'::jsonb`.execute(db);
  await sql`create table oidc_logins (
    state_hash text primary key,
    agency_id integer not null references agencies(id) on delete cascade,
    nonce text not null,
    code_verifier text not null,
    return_to text not null,
    browser_hash text not null,
    created_at timestamptz not null
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table oidc_logins`.execute(db);
  await sql`alter table agencies drop column oidc_issuer, drop column oidc_client_id, drop column oidc_client_secret, drop column oidc_email_domains`.execute(
    db,
  );
}
