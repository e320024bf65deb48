import { sql, type Kysely } from "kysely";

/**
 * Accounts made by someone other than an administrator (a chair naming a
 * contact or a new action owner) say who made them and wait for an
 * administrator to confirm them; the front-door team an administrator names;
 * the front door's receipt of a referral; and which kind of secret a failed
 * sign-in attempt guessed, so second-factor and current-password guesses are
 * throttled like passwords.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column created_by_user_id integer references users(id), add column confirmed_at timestamptz`.execute(db);
  await sql`update users set confirmed_at = created_at`.execute(db);
  await sql`create table front_door_members (user_id integer primary key references users(id), added_at timestamptz not null default now())`.execute(
    db,
  );
  await sql`alter table requests add column front_door_received_at timestamptz, add column front_door_received_by_user_id integer references users(id)`.execute(
    db,
  );
  await sql`alter table sign_in_attempts add column kind text not null default 'password'`.execute(db);
  await sql`create index actions_case_owner_idx on actions (case_id, owner_user_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index actions_case_owner_idx`.execute(db);
  await sql`alter table sign_in_attempts drop column kind`.execute(db);
  await sql`alter table requests drop column front_door_received_at, drop column front_door_received_by_user_id`.execute(db);
  await sql`drop table front_door_members`.execute(db);
  await sql`alter table users drop column created_by_user_id, drop column confirmed_at`.execute(db);
}
