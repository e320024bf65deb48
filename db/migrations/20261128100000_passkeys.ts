import { sql, type Kysely } from "kysely";

/**
 * Passkeys (WebAuthn credentials) as a second factor beside the authenticator
 * app. Each row is one authenticator's public key; the session row holds the
 * one challenge it is currently answering, so a signed answer is good once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table passkeys (
    id text primary key,
    user_id integer not null references users(id) on delete cascade,
    public_key text not null,
    counter bigint not null default 0,
    transports jsonb not null default '[]'::jsonb,
    name text not null,
    created_at timestamptz not null,
    last_used_at timestamptz
  )`.execute(db);
  await sql`create index passkeys_user_idx on passkeys (user_id)`.execute(db);
  await sql`alter table sessions add column webauthn_challenge text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table sessions drop column webauthn_challenge`.execute(db);
  await sql`drop table passkeys`.execute(db);
}
