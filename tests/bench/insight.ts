/**
 * The insight dashboard's loader work (the figures and the filter choices) on
 * the demo data and on the million-case benchmark databases made by
 * `npm run bench:seed-insight`, for a spread of filters; p50/p95 and the ratio
 * of each large database's p95 to the demo's. Part of `npm run bench`.
 */
import { existsSync } from "node:fs";
import { DateTime } from "luxon";
import { connectDatabase } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { systemClock } from "../../app/lib/clock";
import { loadDemoUser } from "../../app/seed/demo";
import { insightDashboard, insightFilters, insightOptions, type InsightFilters } from "../../app/services/insight.server";
import { ukDate } from "../../app/lib/dates";

const ROUNDS = Number(process.env.BENCH_INSIGHT_ROUNDS ?? 15);
const TARGET_MS = 200;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function measure(options: { dataDir?: string; databaseUrl?: string }, email: string) {
  const connection = await connectDatabase(options);
  try {
    // A benchmark database seeded by an older release gains the newer columns first.
    await migrateToLatest(connection.db);
    const deps = { db: connection.db, clock: systemClock };
    const actor = { user: await loadDemoUser(connection.db, email), ip: null };
    const today = ukDate(new Date());
    const month = (back: number) => DateTime.fromISO(today).minus({ months: back }).toFormat("yyyy-MM");
    const area = (await connection.db.selectFrom("areas").select("id").orderBy("id").limit(1).executeTakeFirstOrThrow()).id;
    const agency = (await connection.db.selectFrom("agencies").select("id").orderBy("id").limit(1).executeTakeFirstOrThrow()).id;
    const base = insightFilters({}, today).filters;
    const filters: Array<[string, InsightFilters]> = [
      ["last 12 months, everything", base],
      ["5 years, everything", { ...base, from: month(59) }],
      ["last 12 months, one area", { ...base, area }],
      ["last 12 months, one agency", { ...base, agency }],
      ["5 years, one area and agency", { ...base, from: month(59), area, agency }],
      ["one month, everything", { ...base, from: month(1), to: month(1) }],
      ["the 12 months before, one area", { ...base, from: month(23), to: month(12), area }],
    ];
    const all: number[] = [];
    const each: Array<[string, number]> = [];
    for (const [label, f] of filters) {
      await Promise.all([insightDashboard(deps, actor, f), insightOptions(deps, actor)]);
      const times: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const t0 = performance.now();
        await Promise.all([insightDashboard(deps, actor, f), insightOptions(deps, actor)]);
        times.push(performance.now() - t0);
      }
      all.push(...times);
      each.push([
        label,
        percentile(
          [...times].sort((a, b) => a - b),
          95,
        ),
      ]);
    }
    const cases = await connection.db
      .selectFrom("cases")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const sorted = all.sort((a, b) => a - b);
    return { cases: Number(cases.n), p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1]!, each };
  } finally {
    await connection.close();
  }
}

export async function benchInsight(demo: { dataDir?: string; databaseUrl?: string }, say: (line: string) => void = console.log) {
  const rows: Array<{ label: string; result: Awaited<ReturnType<typeof measure>> }> = [];
  rows.push({
    label: demo.databaseUrl ? "demo data, PostgreSQL" : "demo data, embedded",
    result: await measure(demo, "service.manager@example.org"),
  });
  const dataDir = process.env.BENCH_INSIGHT_DATA_DIR ?? ".data/bench-insight";
  if (existsSync(dataDir))
    rows.push({ label: "benchmark data, embedded", result: await measure({ dataDir }, "bench.service.manager@example.org") });
  if (process.env.BENCH_INSIGHT_DATABASE_URL) {
    rows.push({
      label: "benchmark data, PostgreSQL",
      result: await measure({ databaseUrl: process.env.BENCH_INSIGHT_DATABASE_URL }, "bench.service.manager@example.org"),
    });
  }
  const demoP95 = rows[0]!.result.p95;
  say(`Insight dashboard loader, ${ROUNDS} rounds x 7 filters (target p95 < ${TARGET_MS} ms):`);
  for (const { label, result } of rows) {
    say(
      `- ${label}: ${result.cases.toLocaleString("en-GB").padStart(9)} cases, p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, max ${result.max.toFixed(1)} ms; p95 ÷ target ${(result.p95 / TARGET_MS).toFixed(2)}, p95 ÷ demo data ${(result.p95 / demoP95).toFixed(2)}`,
    );
    say(`  - p95 by filter: ${result.each.map(([l, p]) => `${l} ${p.toFixed(0)}`).join("; ")}`);
  }
  if (rows.length === 1) say("- (no million-case database here: run `npm run bench:seed-insight` first)");
}

if (process.argv[1]?.endsWith("insight.ts")) {
  benchInsight(
    process.env.BENCH_DATABASE_URL ? { databaseUrl: process.env.BENCH_DATABASE_URL } : { dataDir: process.env.BENCH_DEMO_DATA_DIR },
  ).then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
