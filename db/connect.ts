import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { fuzzystrmatch } from "@electric-sql/pglite/contrib/fuzzystrmatch";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
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
  /** Connections held by this process's pool now (PostgreSQL; the embedded database has one, always). */
  poolUse(): { total: number; idle: number; waiting: number };
  /** The embedded database's own dump of its data directory (gzipped tar), taken between queries. */
  dumpDataDir?(): Promise<Uint8Array>;
}

// Both back ends must hand the same JavaScript types to the code above them:
// bigint counts as numbers (our counts are small) and calendar dates as
// ISO strings (a JS Date would shift a date across time zones).
const INT8 = 20;
const DATE = 1082;

export async function connectDatabase(options: {
  databaseUrl?: string;
  dataDir?: string;
  poolSize?: number;
  connectTimeoutMs?: number;
  /** Embedded only: start the data directory from this dump (a restore). */
  loadDataDir?: Blob;
}): Promise<Connection> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      // While the server is away (a restart, a failover) a request waits this long for a
      // connection, then is answered "unavailable", rather than queueing without end.
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      types: {
        getTypeParser: ((oid: number, format?: string) => {
          if (oid === INT8) return (value: string) => Number(value);
          if (oid === DATE) return (value: string) => value;
          return pg.types.getTypeParser(oid, format as "text");
        }) as typeof pg.types.getTypeParser,
      },
    });
    // A connection the server ends (a restart, a failover, a terminated backend) reports an
    // error on itself. Idle, the pool drops it; in use, the query in flight fails and the pool
    // drops the connection when it is released. Without a listener on every connection, in use
    // or idle, that error would stop the whole process.
    pool.on("error", () => {});
    pool.on("connect", (client) => {
      client.on("error", () => {});
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: "postgres",
      close: () => db.destroy(),
      poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    };
  }

  // No dataDir means an in-memory database (tests).
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    // Name matching for a child already known (see the known_child migration).
    extensions: { pg_trgm, fuzzystrmatch },
    parsers: {
      [INT8]: (value: string) => Number(value),
      [DATE]: (value: string) => value,
    },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
  return {
    db,
    kind: "embedded",
    close: () => db.destroy(),
    poolUse: () => ({ total: 1, idle: 0, waiting: 0 }),
    async dumpDataDir() {
      // Written out first, so the dump needs no recovery; PGlite holds queries back while it dumps.
      await client.exec("checkpoint");
      return new Uint8Array(await (await client.dumpDataDir("gzip")).arrayBuffer());
    },
  };
}
