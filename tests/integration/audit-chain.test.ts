import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { connectDatabase } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { findFirstBrokenAuditRow, insertAuditEvent, sealAuditChain } from "../../db/queries/audit";
import { backends, useTestDatabase } from "../support/database";
import { startBackgroundWorker } from "../../app/server/background";
import { loadConfig } from "../../app/server/config";

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

  it("writes rows without waiting for the chain, then seals every row to the one before, even when written at once from many connections", async () => {
    await Promise.all([write(5), write(5), write(5)]);
    const unsealed = await t.db.selectFrom("audit_events").select(["seq", "hash", "row_hash"]).execute();
    expect(unsealed.every((r) => r.seq === null && r.hash === null && /^[0-9a-f]{64}$/.test(r.row_hash ?? ""))).toBe(true);
    expect(await findFirstBrokenAuditRow(t.db)).toEqual({ rows: 15, unsealed: 15, broken: null });

    // Two sealers at once (two workers): each row is sealed once, in one unbroken chain.
    const sealed = await Promise.all([sealAuditChain(t.db, 10), sealAuditChain(t.db, 10)]);
    const more = await sealAuditChain(t.db, 10);
    expect(sealed[0] + sealed[1] + more).toBe(15);
    expect(await sealAuditChain(t.db)).toBe(0);
    const rows = await t.db.selectFrom("audit_events").select(["id", "seq", "prev_hash", "hash"]).orderBy("seq").execute();
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    expect(await findFirstBrokenAuditRow(t.db)).toEqual({ rows: 15, unsealed: 0, broken: null });

    // Rows written later join the end of the same chain.
    await write(2);
    expect(await sealAuditChain(t.db)).toBe(2);
    expect(await findFirstBrokenAuditRow(t.db)).toEqual({ rows: 17, unsealed: 0, broken: null });
  });

  it("refuses to update or delete a row, sealed or not", async () => {
    await write(2);
    await sealAuditChain(t.db);
    await write(1);
    await expect(sql`update audit_events set action = 'nothing.happened'`.execute(t.db)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(sql`update audit_events set action = 'nothing.happened' where seq is null`.execute(t.db)).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(sql`delete from audit_events`.execute(t.db)).rejects.toThrow(/append-only: DELETE refused/);
    // Writing a chain position by hand is refused too: only the seal links a row.
    await expect(
      sql`insert into audit_events (at, action, detail, seq, hash) values (now(), 'x', '{}', 99, 'f')`.execute(t.db),
    ).resolves.toBeDefined();
    const forged = await t.db.selectFrom("audit_events").select(["seq", "hash"]).where("action", "=", "x").executeTakeFirstOrThrow();
    expect(forged).toEqual({ seq: null, hash: null });
    expect(await t.db.selectFrom("audit_events").select("id").execute()).toHaveLength(4);
  });

  it("finds a sealed row changed behind the application's back, and names it", async () => {
    await write(6);
    await sealAuditChain(t.db);
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
      unsealed: 0,
      broken: { id: third.id, seq: "3", problem: "its content does not match its hash" },
    });
  });

  it("is sealed by the running worker within seconds of being written", async () => {
    const worker = startBackgroundWorker(loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "threshold-seal-")) }), { db: t.db });
    try {
      await write(3);
      const started = Date.now();
      let unsealed = 3;
      while (unsealed > 0 && Date.now() - started < 10_000) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        unsealed = (await findFirstBrokenAuditRow(t.db)).unsealed;
      }
      expect(unsealed).toBe(0);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await worker.stop();
    }
  });

  it("finds a row changed before it was sealed, and never seals it", async () => {
    await write(3);
    const second = await t.db.selectFrom("audit_events").select("id").orderBy("id").offset(1).limit(1).executeTakeFirstOrThrow();
    await sql`alter table audit_events disable trigger audit_events_append_only`.execute(t.db);
    await sql`update audit_events set ip = '198.51.100.1' where id = ${second.id}`.execute(t.db);
    await sql`alter table audit_events enable trigger audit_events_append_only`.execute(t.db);
    const broken = { id: second.id, seq: "not yet sealed", problem: "its content does not match the hash it was written with" };
    expect(await findFirstBrokenAuditRow(t.db)).toEqual({ rows: 3, unsealed: 3, broken });
    expect(await sealAuditChain(t.db)).toBe(2);
    expect(await findFirstBrokenAuditRow(t.db)).toEqual({ rows: 3, unsealed: 1, broken });
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
    await sealAuditChain(connection.db);
    await insertAuditEvent(connection.db, { at: new Date(), actorUserId: null, action: "sign_in.failed", ip: null, detail: { i: 3 } });
    await connection.close();
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" };
    const ok = await run("npx", ["tsx", "scripts/audit-verify.ts"], { env });
    expect(ok.stdout).toContain("Audit chain holds: 4 rows, 3 sealed");
    expect(ok.stdout).toContain("and 1 not yet sealed");

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
