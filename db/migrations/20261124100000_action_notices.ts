import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per notice an action's owner was sent: claimed with an insert, so
  // two workers never send the same reminder twice.
  await db.schema
    .createTable("action_notices")
    .addColumn("action_id", "integer", (c) => c.notNull().references("actions.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("sent_on", "date", (c) => c.notNull())
    .addPrimaryKeyConstraint("action_notices_pk", ["action_id", "kind"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("action_notices").execute();
}
