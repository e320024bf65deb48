import { Migrator, type MigrationResultSet } from "kysely";
import type { Database } from "./connect";
import { migrations } from "./migrations/index";

function migrator(db: Database) {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
}

function check(result: MigrationResultSet): string[] {
  if (result.error) throw result.error;
  return (result.results ?? []).map((r) => `${r.direction} ${r.migrationName}: ${r.status}`);
}

export async function migrateToLatest(db: Database): Promise<string[]> {
  return check(await migrator(db).migrateToLatest());
}

export async function migrateDown(db: Database): Promise<string[]> {
  return check(await migrator(db).migrateDown());
}
