import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { PGliteDialect } from "./pglite-dialect";
import type { DB } from "./schema";

/** A database handle or a transaction: Transaction<DB> is a Kysely<DB>. */
export type Database = Kysely<DB>;

export interface Connection {
  db: Database;
  kind: "embedded" | "postgres";
  close(): Promise<void>;
}

// Both back ends must hand the same JavaScript types to the code above them:
// bigint counts as numbers (our counts are small) and calendar dates as
// ISO strings (a JS Date would shift a date across time zones).
const INT8 = 20;
const DATE = 1082;

export async function connectDatabase(options: { databaseUrl?: string; dataDir?: string; poolSize?: number }): Promise<Connection> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: string) => {
          if (oid === INT8) return (value: string) => Number(value);
          if (oid === DATE) return (value: string) => value;
          return pg.types.getTypeParser(oid, format as "text");
        }) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection the server ends (a restart, a dropped database) is replaced at the next
    // query; without a listener its error would stop the whole process.
    pool.on("error", () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: "postgres", close: () => db.destroy() };
  }

  // No dataDir means an in-memory database (tests).
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    parsers: {
      [INT8]: (value: string) => Number(value),
      [DATE]: (value: string) => value,
    },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
  return { db, kind: "embedded", close: () => db.destroy() };
}
