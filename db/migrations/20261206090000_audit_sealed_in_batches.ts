import { sql, type Kysely } from "kysely";

/**
 * An audited read no longer waits for the audit chain's lock. Linking each row
 * at commit (ADR 024) took one lock for the whole trail in every transaction
 * that audited, so every page read queued behind every other at its commit.
 * Now a row is written with the hash of its own content only (`row_hash`, set
 * by the database on insert, so no code path can skip it), and the worker
 * seals rows into the chain in batches within seconds: under the chain's lock
 * (taken by one sealer at a time), in the order they became visible, with the
 * same chain hash as before. A row whose content no longer matches its row
 * hash is left unsealed, and `npm run audit:verify` names it (ADR 030).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger audit_events_chain_at_commit on audit_events`.execute(db);
  await sql`drop function audit_events_chain_at_commit()`.execute(db);
  await sql`alter table audit_events add column row_hash text`.execute(db);
  await sql`create index audit_events_unsealed_idx on audit_events (id) where seq is null`.execute(db);
  await sql`
    create function audit_event_row_hash(at timestamptz, actor integer, action text,
                                         record_type text, record_id text, ip text, detail jsonb)
    returns text language sql immutable as $$
      select audit_event_hash('', 0, at, actor, action, record_type, record_id, ip, detail)
    $$`.execute(db);
  await sql`
    create function audit_events_row_hash() returns trigger language plpgsql as $$
    begin
      new.seq := null;
      new.prev_hash := null;
      new.hash := null;
      new.row_hash := audit_event_row_hash(new.at, new.actor_user_id, new.action, new.record_type, new.record_id, new.ip, new.detail);
      return new;
    end $$`.execute(db);
  await sql`create trigger audit_events_row_hash before insert on audit_events for each row execute function audit_events_row_hash()`.execute(
    db,
  );
  // Seals up to `batch` rows; another sealer at work means this one seals nothing (it does not wait).
  await sql`
    create function audit_events_seal(batch integer) returns integer language plpgsql as $$
    declare last record; r record; n bigint; previous text; sealed integer := 0;
    begin
      if not pg_try_advisory_xact_lock(731202611) then
        return 0;
      end if;
      select a.seq, a.hash into last from audit_events a where a.seq is not null order by a.seq desc limit 1;
      n := coalesce(last.seq, 0);
      previous := coalesce(last.hash, '');
      for r in select * from audit_events a where a.seq is null order by a.id limit batch loop
        continue when r.row_hash is distinct from
          audit_event_row_hash(r.at, r.actor_user_id, r.action, r.record_type, r.record_id, r.ip, r.detail);
        n := n + 1;
        update audit_events set seq = n, prev_hash = previous,
          hash = audit_event_hash(previous, n, r.at, r.actor_user_id, r.action, r.record_type, r.record_id, r.ip, r.detail)
        where id = r.id returning hash into previous;
        sealed := sealed + 1;
      end loop;
      return sealed;
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Everything written so far is sealed before linking at commit takes over again.
  await sql`select audit_events_seal(2147483647)`.execute(db);
  await sql`drop function audit_events_seal(integer)`.execute(db);
  await sql`drop trigger audit_events_row_hash on audit_events`.execute(db);
  await sql`drop function audit_events_row_hash()`.execute(db);
  await sql`drop function audit_event_row_hash(timestamptz, integer, text, text, text, text, jsonb)`.execute(db);
  await sql`drop index audit_events_unsealed_idx`.execute(db);
  await sql`alter table audit_events disable trigger audit_events_append_only`.execute(db);
  await sql`alter table audit_events drop column row_hash`.execute(db);
  await sql`alter table audit_events enable trigger audit_events_append_only`.execute(db);
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
}
