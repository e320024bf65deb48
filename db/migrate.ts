import { Migrator, sql, type MigrationResultSet } from "kysely";
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

/** The migrations a `migrate` would run now, in order, without running them. */
export async function pendingMigrations(db: Database): Promise<string[]> {
  return (await migrator(db).getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
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

/** What rolling back the latest migration would destroy: the migration, and each loss in words. */
export interface RollbackLoss {
  migration: string | null;
  losses: string[];
}

type Column = { table: string; column: string; default: string | null };

class DryRunDone extends Error {
  constructor(
    readonly columnsAfter: Column[],
    readonly rowsAfter: Map<string, number>,
  ) {
    super("dry run");
  }
}

/**
 * Rolls the latest migration back inside a transaction that is then undone,
 * and compares the database before and after: every table dropped that held
 * rows, every column dropped that held values (a column with a default counts
 * only the rows that differ from it), and every table that lost rows. Nothing
 * is changed.
 */
export async function rollbackLoss(db: Database): Promise<RollbackLoss> {
  const applied = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`
    .execute(db)
    .catch(() => ({ rows: [] as Array<{ name: string }> }));
  const migration = applied.rows[0]?.name ?? null;
  const down = migration ? migrations[migration]?.down : undefined;
  if (!migration || !down) return { migration, losses: [] };
  const columnsBefore = await listColumns(db);
  const tables = [...new Set(columnsBefore.map((c) => c.table))];
  const rowsBefore = new Map(await Promise.all(tables.map(async (t) => [t, await countRows(db, t)] as const)));
  let after: DryRunDone;
  try {
    await db.transaction().execute(async (trx) => {
      await down(trx as never);
      const columnsAfter = await listColumns(trx);
      const kept = tables.filter((t) => columnsAfter.some((c) => c.table === t));
      throw new DryRunDone(columnsAfter, new Map(await Promise.all(kept.map(async (t) => [t, await countRows(trx, t)] as const))));
    });
    throw new Error(`the dry run of ${migration} did not finish`);
  } catch (error) {
    if (!(error instanceof DryRunDone)) throw error;
    after = error;
  }
  const losses: string[] = [];
  for (const table of tables) {
    const rows = rowsBefore.get(table) ?? 0;
    const rowsAfter = after.rowsAfter.get(table);
    if (rowsAfter === undefined) {
      if (rows > 0) losses.push(`table ${table} (${plural(rows, "row")})`);
      continue;
    }
    if (rowsAfter < rows) losses.push(`${plural(rows - rowsAfter, "row")} of ${table}`);
    if (rows === 0) continue;
    for (const column of columnsBefore.filter((c) => c.table === table)) {
      if (after.columnsAfter.some((c) => c.table === table && c.column === column.column)) continue;
      const values = await countValues(db, column);
      if (values > 0) losses.push(`column ${table}.${column.column} (${plural(values, "value")})`);
    }
  }
  return { migration, losses };
}

function plural(count: number, word: string) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

async function listColumns(db: Database): Promise<Column[]> {
  const { rows } = await sql<Column>`
    select c.table_name as "table", c.column_name as "column", c.column_default as "default"
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' and c.table_name not like 'kysely_%'
    order by c.table_name, c.ordinal_position`.execute(db);
  return rows;
}

async function countRows(db: Database, table: string) {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
  return rows[0]!.n;
}

/** The rows where a column holds something: not null, and not just its default. */
async function countValues(db: Database, column: Column) {
  const differs =
    column.default && !/nextval\(/.test(column.default)
      ? sql`${sql.ref(column.column)} is distinct from ${sql.raw(column.default)}`
      : sql`${sql.ref(column.column)} is not null`;
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(column.table)} where ${differs}`.execute(db);
  return rows[0]!.n;
}
