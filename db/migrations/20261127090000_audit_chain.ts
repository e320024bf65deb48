import { sql, type Kysely } from "kysely";

/**
 * The audit trail is append-only and tamper-evident. Each row gets a sequence
 * number and a SHA-256 hash over its content and the previous row's hash,
 * computed by the database itself under a lock, so no code path can skip or
 * reorder it. Updating or deleting a row is refused by a trigger (and, on
 * PostgreSQL, not granted to anyone but the owner). `npm run audit:verify`
 * recomputes the chain with the same function.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_events add column seq bigint, add column prev_hash text, add column hash text`.execute(db);
  await sql`create unique index audit_events_seq_idx on audit_events (seq)`.execute(db);
  await sql`
    create function audit_event_hash(prev text, seq bigint, at timestamptz, actor integer, action text,
                                     record_type text, record_id text, ip text, detail jsonb)
    returns text language sql immutable as $$
      select encode(sha256(convert_to(concat_ws(chr(31),
        prev, seq::text, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), coalesce(actor::text, ''),
        action, coalesce(record_type, ''), coalesce(record_id, ''), coalesce(ip, ''), coalesce(detail::text, '')), 'UTF8')), 'hex')
    $$`.execute(db);
  await sql`
    create function audit_events_chain() returns trigger language plpgsql as $$
    declare last record;
    begin
      perform pg_advisory_xact_lock(731202611);
      select a.seq, a.hash into last from audit_events a where a.seq is not null order by a.seq desc limit 1;
      new.seq := coalesce(last.seq, 0) + 1;
      new.prev_hash := coalesce(last.hash, '');
      new.hash := audit_event_hash(new.prev_hash, new.seq, new.at, new.actor_user_id, new.action,
                                   new.record_type, new.record_id, new.ip, new.detail);
      return new;
    end $$`.execute(db);
  await sql`
    create function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'the audit trail is append-only: % refused', tg_op;
    end $$`.execute(db);
  // Rows written before the chain existed are chained once, in the order they were written.
  await sql`
    do $$
    declare r record; previous text := ''; n bigint := 0;
    begin
      for r in select * from audit_events order by id loop
        n := n + 1;
        update audit_events set seq = n, prev_hash = previous,
          hash = audit_event_hash(previous, n, r.at, r.actor_user_id, r.action, r.record_type, r.record_id, r.ip, r.detail)
        where id = r.id returning hash into previous;
      end loop;
    end $$`.execute(db);
  await sql`create trigger audit_events_chain before insert on audit_events for each row execute function audit_events_chain()`.execute(db);
  await sql`create trigger audit_events_append_only before update or delete on audit_events for each row execute function audit_events_append_only()`.execute(
    db,
  );
  await sql`revoke update, delete on audit_events from public`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger audit_events_append_only on audit_events`.execute(db);
  await sql`drop trigger audit_events_chain on audit_events`.execute(db);
  await sql`drop function audit_events_append_only()`.execute(db);
  await sql`drop function audit_events_chain()`.execute(db);
  await sql`drop function audit_event_hash(text, bigint, timestamptz, integer, text, text, text, text, jsonb)`.execute(db);
  await sql`alter table audit_events drop column seq, drop column prev_hash, drop column hash`.execute(db);
}
