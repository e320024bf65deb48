import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { connectDatabase } from "../../db/connect";
import { migrateDown, migrateToLatest } from "../../db/migrate";
import { migrations } from "../../db/migrations/index";
import { backends, openTestDatabase, useTestDatabase } from "../support/database";
import { createAgency } from "../support/factories";

describe.each(backends)("the database layer (%s)", (backend) => {
  const t = useTestDatabase(backend);

  it("migrates down to nothing and up again", async () => {
    const handle = await openTestDatabase(backend);
    try {
      for (let i = 0; i < Object.keys(migrations).length; i++) await migrateDown(handle.db);
      const tables = await sql<{
        n: number;
      }>`select count(*)::int as n from pg_tables where schemaname='public' and tablename not like 'kysely_%'`.execute(handle.db);
      expect(tables.rows[0].n).toBe(0);
      expect(await migrateToLatest(handle.db)).toHaveLength(Object.keys(migrations).length);
    } finally {
      await handle.close();
    }
  });

  it("keeps concurrent transactions apart: one rolling back never takes another's write with it", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const failing = t.db
      .transaction()
      .execute(async (trx) => {
        await createAgency(trx, "health", "Rolled back");
        await gate;
        throw new Error("abandon");
      })
      .catch(() => "rolled back");
    const independent = createAgency(t.db, "police", "Kept");
    // Let the independent write queue up behind the open transaction, then end it.
    await new Promise((r) => setTimeout(r, 50));
    release();
    expect(await failing).toBe("rolled back");
    await independent;
    const names = (await t.db.selectFrom("agencies").select("name").execute()).map((r) => r.name);
    expect(names).toEqual(["Kept"]);
  });

  it("hands counts back as numbers and dates as ISO strings on every back end", async () => {
    const row = await sql<{ n: number; d: string }>`select count(*) as n, date '2026-03-29' as d`.execute(t.db);
    expect(row.rows[0]).toEqual({ n: 1, d: "2026-03-29" });
  });
});

describe("the embedded database on disk", () => {
  it("keeps its data across close and reopen", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dir = mkdtempSync(path.join(tmpdir(), "threshold-data-"));
    try {
      const first = await connectDatabase({ dataDir: dir });
      await migrateToLatest(first.db);
      await createAgency(first.db, "health", "Survives restart");
      await first.close();
      const second = await connectDatabase({ dataDir: dir });
      const names = (await second.db.selectFrom("agencies").select("name").execute()).map((r) => r.name);
      await second.close();
      expect(names).toEqual(["Survives restart"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
