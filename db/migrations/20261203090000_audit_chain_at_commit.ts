import { sql, type Kysely } from "kysely";

/**
 * The audit chain is linked when a transaction commits, not when its row is
 * written. Linking takes one lock for the whole trail; taken at the insert, it
 * was held while the rest of the transaction went on to lock panels and agenda
 * items, so a use case that audits first and one that locks first could each
 * wait for the other (a deadlock). A deferred trigger takes it as the last
 * thing before commit, when every other lock the transaction needs is already
 * held, so no cycle can form. Rows are chained in commit order, with the same
 * hash as before; `npm run audit:verify` is unchanged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger audit_events_chain on audit_events`.execute(db);
  await sql`
    create function audit_events_chain_at_commit() returns trigger language plpgsql as $$
    declare last record; n bigint; previous text;
    begin
      perform pg_advisory_xact_lock(731202611);
      select a.seq, a.hash into last from audit_events a where a.seq is not null order by a.seq desc limit 1;
      n := coalesce(last.seq, 0) + 1;
      previous := coalesce(last.hash, '');
      update audit_events set seq = n, prev_hash = previous,
        hash = audit_event_hash(previous, n, new.at, new.actor_user_id, new.action,
                                new.record_type, new.record_id, new.ip, new.detail)
      where id = new.id;
      return null;
    end $$`.execute(db);
  await sql`
    create constraint trigger audit_events_chain_at_commit after insert on audit_events
    deferrable initially deferred for each row execute function audit_events_chain_at_commit()`.execute(db);
  // Still append-only: the one update allowed is linking a row not yet linked, changing nothing else.
  await sql`
    create or replace function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.seq is null and new.seq is not null
         and to_jsonb(old) - 'seq' - 'prev_hash' - 'hash' = to_jsonb(new) - 'seq' - 'prev_hash' - 'hash' then
        return new;
      end if;
      raise exception 'the audit trail is append-only: % refused', tg_op;
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger audit_events_chain_at_commit on audit_events`.execute(db);
  await sql`drop function audit_events_chain_at_commit()`.execute(db);
  await sql`
    create or replace function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'the audit trail is append-only: % refused', tg_op;
    end $$`.execute(db);
  await sql`create trigger audit_events_chain before insert on audit_events for each row execute function audit_events_chain()`.execute(db);
}
