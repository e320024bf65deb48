import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("challenges")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("case_id", "integer", (c) => c.notNull().references("cases.id"))
    .addColumn("decision_id", "integer", (c) => c.notNull().references("decisions.id"))
    .addColumn("panel_id", "integer", (c) => c.references("panels.id"))
    .addColumn("area_id", "integer", (c) => c.notNull().references("areas.id"))
    .addColumn("raised_by_user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("raiser_agency_id", "integer", (c) => c.notNull().references("agencies.id"))
    .addColumn("respondent_user_id", "integer", (c) => c.references("users.id"))
    .addColumn("disagreement", "text", (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull().check(sql`category in ('threshold','risk','information','capacity','other')`))
    .addColumn("reason", "text", (c) => c.notNull())
    // Someone always holds the risk while the disagreement is worked through.
    .addColumn("risk_holder", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('raised','stage1','stage2','stage3','stage4','stage5','resolved','withdrawn','frontDoor')`),
    )
    .addColumn("stage", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("machine", "jsonb", (c) => c.notNull())
    .addColumn("deadline_at", "timestamptz")
    .addColumn("overdue", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("resolution", "text")
    .addColumn("changed_to", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .addColumn("closed_at", "timestamptz")
    .execute();
  await db.schema.createIndex("challenges_case_idx").on("challenges").column("case_id").execute();
  await db.schema.createIndex("challenges_area_status_idx").on("challenges").columns(["area_id", "status"]).execute();

  await db.schema
    .createTable("challenge_events")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("challenge_id", "integer", (c) => c.notNull().references("challenges.id"))
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addColumn("actor_user_id", "integer", (c) => c.references("users.id"))
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("from_status", "text")
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("text", "text")
    .execute();
  await db.schema.createIndex("challenge_events_challenge_idx").on("challenge_events").column("challenge_id").execute();

  // Durable timers: run by the same worker as the outbox, once, surviving restarts.
  await db.schema
    .createTable("jobs")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("key", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("run_at", "timestamptz", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("pending")
        .check(sql`status in ('pending','done','failed')`),
    )
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("done_at", "timestamptz")
    .execute();
  await sql`create index jobs_due_idx on jobs (run_at) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("jobs").execute();
  await db.schema.dropTable("challenge_events").execute();
  await db.schema.dropTable("challenges").execute();
}
