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

/** One migration down, or (given a name) down to just before that migration. */
export async function migrateDown(db: Database, below?: string): Promise<string[]> {
  if (!below) return check(await migrator(db).migrateDown());
  const names = Object.keys(migrations).sort();
  const before = names[names.indexOf(below) - 1];
  if (!before) throw new Error(`No migration before ${below}`);
  return check(await migrator(db).migrateTo(before));
}
