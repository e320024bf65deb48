import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { connectDatabase, type Database } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";

export type Backend = "embedded" | "postgres";

/** Every integration suite runs on the embedded database, and on PostgreSQL when TEST_DATABASE_URL is set. */
export const backends: Backend[] = process.env.TEST_DATABASE_URL ? ["embedded", "postgres"] : ["embedded"];

export interface TestDatabase {
  db: Database;
  close(): Promise<void>;
}

/** A new, migrated, empty database: in memory, or a fresh database on the PostgreSQL server. */
export async function openTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === "embedded") {
    const connection = await connectDatabase({});
    await migrateToLatest(connection.db);
    return { db: connection.db, close: connection.close };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `threshold_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const connection = await connectDatabase({ databaseUrl: url.toString(), poolSize: 5 });
  await migrateToLatest(connection.db);
  return {
    db: connection.db,
    async close() {
      await connection.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      // Wait for the pool's connections to finish leaving rather than killing them: a
      // forced drop makes the server send FATAL to a client that is still closing.
      for (let attempt = 0; ; attempt++) {
        try {
          await cleanup.query(`drop database if exists ${name}`);
          break;
        } catch (error) {
          if (attempt >= 50) throw error;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await cleanup.end();
    },
  };
}

/** Empties every table between tests so each starts from nothing. */
export async function truncateAll(db: Database) {
  const tables = await sql<{ tablename: string }>`
    select tablename from pg_tables
    where schemaname = 'public' and tablename not like 'kysely_%'
  `.execute(db);
  if (!tables.rows.length) return;
  const list = tables.rows.map((t) => `"${t.tablename}"`).join(", ");
  await sql.raw(`truncate ${list} restart identity cascade`).execute(db);
}

/** Opens a database for the suite and empties it before each test. */
export function useTestDatabase(backend: Backend) {
  const holder = {} as { db: Database };
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await openTestDatabase(backend);
    holder.db = handle.db;
  });
  beforeEach(async () => {
    await truncateAll(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });
  return holder;
}
