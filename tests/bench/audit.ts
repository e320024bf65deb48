import { sql } from "kysely";
import type { connectDatabase } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { insertAuditEvent, sealAuditChain } from "../../db/queries/audit";

type Connection = Awaited<ReturnType<typeof connectDatabase>>;

/**
 * What auditing a read costs: `connections` callers at once, each running for
 * `seconds` a transaction that reads a case row, first bare and then with the
 * read's audit row written beside it, as a page does. Reports transactions a
 * second and the database's CPU milliseconds per transaction for each, the
 * difference per audited read, and what sealing those rows into the chain
 * costs the worker afterwards (ADR 030).
 */
export async function benchAuditedReads(
  connection: Connection,
  options: { label: string; seconds: number; connections: number; databaseCpuMs: () => number },
  say: (line: string) => void,
) {
  const { db } = connection;
  await migrateToLatest(db);
  const run = async (audited: boolean) => {
    const stopAt = performance.now() + options.seconds * 1000;
    const cpu0 = options.databaseCpuMs();
    const t0 = performance.now();
    let done = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: options.connections }, async (_, worker) => {
        while (performance.now() < stopAt) {
          try {
            await db.transaction().execute(async (trx) => {
              await sql`select id, reference from cases order by id limit 1`.execute(trx);
              if (audited) {
                await insertAuditEvent(trx, {
                  at: new Date(),
                  actorUserId: null,
                  action: "case.viewed",
                  recordType: "case",
                  recordId: `TH-2026-${String(worker).padStart(6, "0")}`,
                  ip: "127.0.0.1",
                  detail: { bench: true },
                });
              }
            });
            done++;
          } catch {
            failed++;
          }
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const cpu = options.databaseCpuMs() - cpu0;
    return { perSecond: done / seconds, cpuMs: done ? cpu / done : 0, failed };
  };
  const bare = await run(false);
  const audited = await run(true);
  // The worker's side: sealing what the audited run wrote into the chain, in batches.
  const cpu0 = options.databaseCpuMs();
  const t0 = performance.now();
  let sealed = 0;
  for (let n = await sealAuditChain(db, 1000); n > 0; n = await sealAuditChain(db, 1000)) sealed += n;
  const sealSeconds = (performance.now() - t0) / 1000;
  const sealCpuMs = sealed ? (options.databaseCpuMs() - cpu0) / sealed : 0;
  say(
    `Audited reads (${options.label}, ${options.connections} at once, ${options.seconds} s each): bare read ${bare.perSecond.toFixed(0)}/s, ` +
      `${bare.cpuMs.toFixed(2)} ms database CPU each; read with its audit row ${audited.perSecond.toFixed(0)}/s, ${audited.cpuMs.toFixed(2)} ms each ` +
      `(ratio ${(audited.perSecond / bare.perSecond).toFixed(2)}; the audit row adds ${(audited.cpuMs - bare.cpuMs).toFixed(2)} ms of database CPU; ${audited.failed + bare.failed} failed). ` +
      `Sealing them into the chain afterwards: ${sealed} rows in ${sealSeconds.toFixed(2)} s, ${sealCpuMs.toFixed(3)} ms of database CPU a row.`,
  );
}
