import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { connectDatabase, type Database } from "../../db/connect";
import { migrateDown, migrateToLatest, pendingMigrations, rollbackLoss } from "../../db/migrate";
import { migrations } from "../../db/migrations/index";
import { seedDemo } from "../../app/seed/demo";
import { seedDemoCases } from "../../app/seed/demo-cases";
import { backends, openTestDatabase } from "../support/database";

const names = Object.keys(migrations).sort();
/** The migration these tests roll back: it added the NHS and case-system numbers to cases. */
const latest = "20261203100000_find_the_child";
/** Rolls later migrations back so that `latest` is the last one applied. */
const upTo = (db: Database) => (names.at(-1) === latest ? Promise.resolve([]) : migrateDown(db, names[names.indexOf(latest) + 1]));

async function columns(db: Database, table: string) {
  const { rows } = await sql<{ c: string }>`select column_name as c from information_schema.columns where table_name = ${table}`.execute(
    db,
  );
  return rows.map((r) => r.c);
}

async function seeded(db: Database) {
  await seedDemo(db, { passwordHash: "x", now: new Date("2026-11-30T09:00:00Z") });
  await seedDemoCases(db, new Date("2026-11-30T09:00:00Z"));
}

describe.each(backends)("rolling a migration back (%s)", (backend) => {
  it("names what the latest migration's columns hold, and changes nothing while it looks", async () => {
    const t = await openTestDatabase(backend);
    try {
      await seeded(t.db);
      await upTo(t.db);
      // Nothing typed into the new columns yet: rolling back loses nothing.
      expect(await rollbackLoss(t.db)).toEqual({ migration: latest, losses: [] });
      await sql`update cases set nhs_number = '9434765919' where id = (select min(id) from cases)`.execute(t.db);
      await sql`update cases set case_system_id = 'LCS-1' where id in (select id from cases order by id limit 2)`.execute(t.db);
      expect(await rollbackLoss(t.db)).toEqual({
        migration: latest,
        losses: ["column cases.nhs_number (1 value)", "column cases.case_system_id (2 values)"],
      });
      expect(await columns(t.db, "cases")).toEqual(expect.arrayContaining(["nhs_number", "case_system_id"]));
    } finally {
      await t.close();
    }
  });

  it("sees a sitting panel's timings in the live panel's columns, and a default left alone as nothing lost", async () => {
    const t = await openTestDatabase(backend);
    try {
      await seeded(t.db);
      await sql`
        insert into agenda_items (panel_id, request_id, case_id, status, position, created_at)
        select (select min(id) from panels), r.id, r.case_id, 'decided', row_number() over (), now()
        from (select id, case_id from requests order by id limit 3) r`.execute(t.db);
      await migrateDown(t.db, names[names.indexOf("20261130100000_live_panel") + 1]);
      expect((await rollbackLoss(t.db)).losses).toEqual([]);
      await sql`update agenda_items set started_at = now() where id = (select min(id) from agenda_items)`.execute(t.db);
      await sql`update agenda_items set skipped = true where id = (select max(id) from agenda_items)`.execute(t.db);
      expect(await rollbackLoss(t.db)).toEqual({
        migration: "20261130100000_live_panel",
        losses: ["column agenda_items.started_at (1 value)", "column agenda_items.skipped (1 value)"],
      });
      await migrateToLatest(t.db);
    } finally {
      await t.close();
    }
  });
});

describe("npm run db:rollback", () => {
  const run = (dir: string, ...args: string[]) =>
    promisify(execFile)(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/db.ts", "rollback", ...args], {
      env: { ...process.env, DATA_DIR: dir, DATABASE_URL: "", LOG_LEVEL: "silent" },
    }).then(
      (done) => ({ code: 0, out: done.stdout, err: done.stderr }),
      (failed: { code: number; stdout: string; stderr: string }) => ({ code: failed.code, out: failed.stdout, err: failed.stderr }),
    );

  it("lists what a migration would run without running it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "threshold-dry-run-"));
    try {
      const first = await connectDatabase({ dataDir: dir });
      await migrateToLatest(first.db);
      await migrateDown(first.db, names.at(-2));
      await first.close();
      const dry = await promisify(execFile)(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/db.ts", "migrate", "--dry-run"], {
        env: { ...process.env, DATA_DIR: dir, DATABASE_URL: "", LOG_LEVEL: "silent" },
      });
      expect(dry.stdout.trim()).toBe(`Would run:\n${names.at(-2)}\n${names.at(-1)}`);
      const after = await connectDatabase({ dataDir: dir });
      expect(await pendingMigrations(after.db)).toEqual(names.slice(-2));
      await after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("refuses to drop columns that hold data unless forced, and says what would be lost", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "threshold-rollback-"));
    try {
      const first = await connectDatabase({ dataDir: dir });
      await migrateToLatest(first.db);
      await seeded(first.db);
      await upTo(first.db);
      await sql`update cases set nhs_number = '9434765919' where id = (select min(id) from cases)`.execute(first.db);
      await first.close();

      const refused = await run(dir);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain(`Not rolled back: undoing ${latest} would lose`);
      expect(refused.err).toContain("column cases.nhs_number (1 value)");
      expect(refused.err).toContain("npm run db:rollback -- --force");

      const kept = await connectDatabase({ dataDir: dir });
      expect(await columns(kept.db, "cases")).toContain("nhs_number");
      await kept.close();

      const forced = await run(dir, "--force");
      expect(forced.code).toBe(0);
      expect(forced.out).toContain(latest);
      expect(forced.err).toContain("losing: column cases.nhs_number (1 value)");
      const after = await connectDatabase({ dataDir: dir });
      expect(await columns(after.db, "cases")).not.toContain("nhs_number");
      await after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
