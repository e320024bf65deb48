import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create sequence case_reference_seq`.execute(db);

  await db.schema
    .createTable("cases")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("reference", "text", (c) => c.notNull().unique())
    .addColumn("area_id", "integer", (c) => c.notNull().references("areas.id"))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .check(
          sql`status in ('early_help','step_up_requested','social_care','step_down_requested','volunteer_support','front_door','closed')`,
        ),
    )
    .addColumn("journey", "jsonb", (c) => c.notNull())
    .addColumn("machine_version", "integer", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    // Personal data: shown only to signed-in users allowed to see the case, never in emails, logs or URLs.
    .addColumn("child_first_name", "text")
    .addColumn("child_last_name", "text")
    .addColumn("child_date_of_birth", "date")
    .addColumn("child_address", "text")
    .addColumn("siblings", "text")
    .addColumn("lead_practitioner", "text")
    .addColumn("risk_holder", "text")
    .addColumn("last_stepped_down_at", "timestamptz")
    .addColumn("created_by_user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("cases_area_status_idx").on("cases").columns(["area_id", "status"]).execute();

  await db.schema
    .createTable("case_agencies")
    .addColumn("case_id", "integer", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("agency_id", "integer", (c) => c.notNull().references("agencies.id"))
    .addPrimaryKeyConstraint("case_agencies_pk", ["case_id", "agency_id"])
    .execute();
  await db.schema.createIndex("case_agencies_agency_idx").on("case_agencies").column("agency_id").execute();

  await db.schema
    .createTable("requests")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("case_id", "integer", (c) => c.references("cases.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('step_up','step_down')`))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('draft','awaiting_panel','decided','withdrawn','front_door')`))
    .addColumn("area_id", "integer", (c) => c.references("areas.id"))
    .addColumn("submitted_by_user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("agency_id", "integer", (c) => c.notNull().references("agencies.id"))
    .addColumn("answers", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("bounce_back", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .addColumn("submitted_at", "timestamptz")
    .execute();
  await db.schema.createIndex("requests_case_idx").on("requests").column("case_id").execute();
  await db.schema.createIndex("requests_submitter_idx").on("requests").column("submitted_by_user_id").execute();
  await db.schema.createIndex("requests_area_status_idx").on("requests").columns(["area_id", "status"]).execute();

  await db.schema
    .createTable("decisions")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("request_id", "integer", (c) => c.notNull().references("requests.id"))
    .addColumn("case_id", "integer", (c) => c.notNull().references("cases.id"))
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("reasons", "text", (c) => c.notNull())
    .addColumn("risk_holder", "text", (c) => c.notNull())
    .addColumn("decided_by_user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("decided_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("decisions_case_idx").on("decisions").column("case_id").execute();

  await db.schema
    .createTable("case_transitions")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("case_id", "integer", (c) => c.notNull().references("cases.id"))
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addColumn("actor_user_id", "integer", (c) => c.references("users.id"))
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("from_status", "text")
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("request_id", "integer", (c) => c.references("requests.id"))
    .execute();
  await db.schema.createIndex("case_transitions_case_idx").on("case_transitions").column("case_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["case_transitions", "decisions", "requests", "case_agencies", "cases"]) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop sequence case_reference_seq`.execute(db);
}
