import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { connectDatabase } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { findFirstBrokenAuditRow, insertAuditEvent } from "../../db/queries/audit";
import { backends, useTestDatabase } from "../support/database";

const run = promisify(execFile);

describe.each(backends)("the audit trail (%s)", (backend) => {
  const t = useTestDatabase(backend);

  async function write(n: number, at = new Date("2026-11-23T09:00:00Z")) {
    for (let i = 0; i < n; i++) {
      await insertAuditEvent(t.db, {
        at: new Date(at.getTime() + i * 1000),
        actorUserId: null,
        action: "case.viewed",
        recordType: "case",
        recordId: `TH-2026-00000${i}`,
        ip: "203.0.113.7",
        detail: { n: i },
      });
    }
  }

  it("chains every row to the one before, even when written at once from many connections", async () => {
    await Promise.all([write(5), write(5), write(5)]);
    const rows = await t.db.selectFrom("audit_events").select(["seq", "prev_hash", "hash"]).orderBy("seq").execute();
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    expect(await findFirstBrokenAuditRow(t.db)).toEqual({ rows: 15, broken: null });
  });

  it("refuses to update or delete a row", async () => {
    await write(2);
    await expect(sql`update audit_events set action = 'nothing.happened'`.execute(t.db)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(sql`delete from audit_events`.execute(t.db)).rejects.toThrow(/append-only: DELETE refused/);
    expect(await t.db.selectFrom("audit_events").select("id").execute()).toHaveLength(2);
  });

  it("finds a row changed behind the application's back, and names it", async () => {
    await write(6);
    const third = await t.db
      .selectFrom("audit_events")
      .select("id")
      .where("seq", "=", "3" as never)
      .executeTakeFirstOrThrow();
    // Someone with the owner's rights switches the guard off and edits a row.
    await sql`alter table audit_events disable trigger audit_events_append_only`.execute(t.db);
    await sql`update audit_events set record_id = 'TH-2026-999999' where id = ${third.id}`.execute(t.db);
    await sql`alter table audit_events enable trigger audit_events_append_only`.execute(t.db);
    expect(await findFirstBrokenAuditRow(t.db)).toEqual({
      rows: 6,
      broken: { id: third.id, seq: "3", problem: "its content does not match its hash" },
    });
  });
});

describe("npm run audit:verify", () => {
  it("says the chain holds, and exits 1 naming the first broken row once a row is tampered with", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "threshold-audit-"));
    const connection = await connectDatabase({ dataDir });
    await migrateToLatest(connection.db);
    for (let i = 0; i < 3; i++) {
      await insertAuditEvent(connection.db, { at: new Date(), actorUserId: null, action: "sign_in.failed", ip: null, detail: { i } });
    }
    await connection.close();
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" };
    const ok = await run("npx", ["tsx", "scripts/audit-verify.ts"], { env });
    expect(ok.stdout).toContain("Audit chain holds: 3 rows");

    const again = await connectDatabase({ dataDir });
    await sql`alter table audit_events disable trigger audit_events_append_only`.execute(again.db);
    await sql`delete from audit_events where seq = 2`.execute(again.db);
    await again.close();
    const broken = await run("npx", ["tsx", "scripts/audit-verify.ts"], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(broken).toMatchObject({ code: 1 });
    expect((broken as { stderr: string }).stderr).toMatch(
      /Audit chain broken at row \d+ \(position 3\): a row is missing or out of order before it/,
    );
  }, 120_000);
});
