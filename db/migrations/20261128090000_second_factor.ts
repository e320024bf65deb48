import { sql, type Kysely } from "kysely";

/**
 * A second factor at sign-in, and area scope made explicit.
 *
 * - users: a TOTP secret (confirmed once `totp_enabled_at` is set), the last
 *   time step a code was accepted for (so a code works once), and `all_areas`
 *   for managers who act for the whole service. A manager with neither an area
 *   nor `all_areas` sees no cases.
 * - recovery_codes: ten single-use codes per person, salted and hashed.
 * - sessions.pending: 'code' or 'set_up' while a session is half signed in
 *   (password given, second factor not yet); such a session reaches only the
 *   second-factor pages. `code_failures` ends it after too many wrong codes.
 * - role_settings: whether each role must use a second factor. A role with no
 *   row follows the default (required in production).
 * - the auditor role, which reads the audit trail and nothing else.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users
    add column totp_secret text,
    add column totp_enabled_at timestamptz,
    add column totp_last_step bigint,
    add column all_areas boolean not null default false,
    drop constraint if exists users_role_check,
    add constraint users_role_check check (role in ('professional','team_manager','service_manager','head_of_service','partner','admin','auditor'))`.execute(
    db,
  );
  // Managers who had no area acted for every area; they keep doing so, now by saying it.
  await sql`update users set all_areas = true where area_id is null and role in ('team_manager','service_manager','head_of_service')`.execute(
    db,
  );
  await sql`alter table sessions
    add column pending text check (pending in ('code','set_up')),
    add column code_failures integer not null default 0`.execute(db);
  await sql`create table recovery_codes (
    id serial primary key,
    user_id integer not null references users(id) on delete cascade,
    code_hash text not null,
    used_at timestamptz
  )`.execute(db);
  await sql`create index recovery_codes_user_idx on recovery_codes (user_id)`.execute(db);
  await sql`create table role_settings (
    role text primary key,
    two_factor_required boolean not null,
    updated_at timestamptz not null default now()
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table role_settings`.execute(db);
  await sql`drop table recovery_codes`.execute(db);
  await sql`alter table sessions drop column pending, drop column code_failures`.execute(db);
  await sql`update users set role = 'admin' where role = 'auditor'`.execute(db);
  await sql`alter table users
    drop column totp_secret, drop column totp_enabled_at, drop column totp_last_step, drop column all_areas,
    drop constraint if exists users_role_check,
    add constraint users_role_check check (role in ('professional','team_manager','service_manager','head_of_service','partner','admin'))`.execute(
    db,
  );
}
