import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("panel_schedules")
    .addColumn("area_id", "integer", (c) => c.primaryKey().references("areas.id"))
    .addColumn("anchor_date", "date", (c) => c.notNull())
    .addColumn("weekday", "text", (c) => c.notNull().check(sql`weekday in ('MO','TU','WE','TH','FR')`))
    .addColumn("interval_weeks", "integer", (c) => c.notNull().check(sql`interval_weeks between 1 and 8`))
    .addColumn("start_time", "text", (c) => c.notNull())
    .addColumn("end_time", "text", (c) => c.notNull())
    .addColumn("cutoff_days_before", "integer", (c) => c.notNull())
    .addColumn("cutoff_time", "text", (c) => c.notNull())
    .addColumn("chair_user_id", "integer", (c) => c.references("users.id"))
    .addColumn("core_user_ids", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("core_agency_ids", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("venue", "text")
    .addColumn("meeting_link", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("panels")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("area_id", "integer", (c) => c.notNull().references("areas.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('routine','extraordinary')`))
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('scheduled','agendaOpen','agendaClosed','inSession','concluded','minutesPublished','cancelled')`),
    )
    .addColumn("lifecycle", "jsonb", (c) => c.notNull())
    .addColumn("meeting_date", "date", (c) => c.notNull())
    .addColumn("moved_from", "date")
    .addColumn("starts_at", "timestamptz", (c) => c.notNull())
    .addColumn("ends_at", "timestamptz", (c) => c.notNull())
    .addColumn("cutoff_at", "timestamptz", (c) => c.notNull())
    .addColumn("chair_user_id", "integer", (c) => c.references("users.id"))
    .addColumn("venue", "text")
    .addColumn("meeting_link", "text")
    .addColumn("reason", "text")
    .addColumn("called_by_user_id", "integer", (c) => c.references("users.id"))
    .addColumn("cancelled_reason", "text")
    // iCalendar SEQUENCE of the panel invite: bumped whenever time, place or link change.
    .addColumn("invite_sequence", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("minutes", "jsonb")
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .execute();
  await sql`create unique index panels_routine_date_idx on panels (area_id, meeting_date) where kind = 'routine' and status <> 'cancelled'`.execute(
    db,
  );
  await db.schema.createIndex("panels_area_starts_idx").on("panels").columns(["area_id", "starts_at"]).execute();

  await db.schema
    .createTable("panel_transitions")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("panel_id", "integer", (c) => c.notNull().references("panels.id"))
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addColumn("actor_user_id", "integer", (c) => c.references("users.id"))
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("from_status", "text", (c) => c.notNull())
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .execute();
  await db.schema.createIndex("panel_transitions_panel_idx").on("panel_transitions").column("panel_id").execute();

  await db.schema
    .createTable("panel_attendees")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("panel_id", "integer", (c) => c.notNull().references("panels.id"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('chair','core','item')`))
    .addColumn("attendance", "text", (c) => c.check(sql`attendance in ('in_person','online','apologies','absent')`))
    .addUniqueConstraint("panel_attendees_panel_user", ["panel_id", "user_id"])
    .execute();

  await db.schema
    .createTable("agenda_items")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("panel_id", "integer", (c) => c.notNull().references("panels.id"))
    .addColumn("request_id", "integer", (c) => c.notNull().references("requests.id"))
    .addColumn("case_id", "integer", (c) => c.notNull().references("cases.id"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('listed','decided','moved','withdrawn')`))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("slot_minutes", "integer", (c) => c.notNull().defaultTo(15))
    // "HH:mm" when the chair pins the item to a time; otherwise it follows the item before.
    .addColumn("pinned_start", "text")
    .addColumn("invited_agency_ids", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("invited_user_ids", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("late", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("invite_sequence", "integer", (c) => c.notNull().defaultTo(0))
    // What the partners' slot invites last said, so only a real change sends an update.
    .addColumn("invite_sent_start", "timestamptz")
    .addColumn("invite_sent_user_ids", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .execute();
  // A request is on at most one agenda at a time.
  await sql`create unique index agenda_items_listed_request_idx on agenda_items (request_id) where status = 'listed'`.execute(db);
  await db.schema.createIndex("agenda_items_panel_idx").on("agenda_items").columns(["panel_id", "position"]).execute();

  await db.schema
    .alterTable("decisions")
    .addColumn("panel_id", "integer", (c) => c.references("panels.id"))
    .addColumn("agenda_item_id", "integer", (c) => c.references("agenda_items.id"))
    .addColumn("discussion", "text")
    .addColumn("lead_practitioner", "text")
    .addColumn("transfer_date", "date")
    .addColumn("review_date", "date")
    .addColumn("challenge", "text")
    .execute();
  await db.schema.createIndex("decisions_panel_idx").on("decisions").column("panel_id").execute();

  await db.schema
    .createTable("actions")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("case_id", "integer", (c) => c.notNull().references("cases.id"))
    .addColumn("panel_id", "integer", (c) => c.references("panels.id"))
    .addColumn("agenda_item_id", "integer", (c) => c.references("agenda_items.id"))
    .addColumn("description", "text", (c) => c.notNull())
    // Every action has exactly one owner: the column cannot be empty.
    .addColumn("owner_user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("due_date", "date", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("open")
        .check(sql`status in ('open','done')`),
    )
    .addColumn("done_note", "text")
    .addColumn("done_at", "timestamptz")
    .addColumn("created_by_user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("actions_owner_idx").on("actions").columns(["owner_user_id", "status"]).execute();
  await db.schema.createIndex("actions_panel_idx").on("actions").column("panel_id").execute();
  await db.schema.createIndex("actions_case_idx").on("actions").column("case_id").execute();

  await db.schema
    .createTable("extraordinary_requests")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("area_id", "integer", (c) => c.notNull().references("areas.id"))
    .addColumn("requested_by_user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("starts_at", "timestamptz", (c) => c.notNull())
    .addColumn("ends_at", "timestamptz", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("request_ids", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending','approved','declined')`))
    .addColumn("decided_by_user_id", "integer", (c) => c.references("users.id"))
    .addColumn("decided_at", "timestamptz")
    .addColumn("decline_reason", "text")
    .addColumn("panel_id", "integer", (c) => c.references("panels.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .execute();

  // The secret in a person's private calendar feed address (SHA-256 stored, like sessions).
  await db.schema.alterTable("users").addColumn("calendar_token_hash", "text").execute();
  await sql`create unique index users_calendar_token_idx on users (calendar_token_hash) where calendar_token_hash is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index users_calendar_token_idx`.execute(db);
  await db.schema.alterTable("users").dropColumn("calendar_token_hash").execute();
  await db.schema.dropTable("extraordinary_requests").execute();
  await db.schema.dropTable("actions").execute();
  for (const column of ["panel_id", "agenda_item_id", "discussion", "lead_practitioner", "transfer_date", "review_date", "challenge"]) {
    await db.schema.alterTable("decisions").dropColumn(column).execute();
  }
  for (const table of ["agenda_items", "panel_attendees", "panel_transitions", "panels", "panel_schedules"]) {
    await db.schema.dropTable(table).execute();
  }
}
