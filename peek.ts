import { connectDatabase } from "./db/connect";
import { loadDemoUser } from "./app/seed/demo";
import { insightDashboard, insightFilters } from "./app/services/insight.server";
import { systemClock } from "./app/lib/clock";
const c = await connectDatabase({ dataDir: "/tmp/demo-data" });
const user = await loadDemoUser(c.db, "service.manager@example.org");
const t = Date.now();
const d = await insightDashboard({ db: c.db, clock: systemClock }, { user, ip: null }, insightFilters({}, "2026-11-30").filters);
console.log(Date.now() - t, "ms");
console.log(d.headline);
for (const s of d.sections)
  for (const f of s.figures) {
    console.log("##", f.title, "|", f.counting);
    console.log(f.columns.join(" | "));
    for (const r of f.rows.slice(0, 14)) console.log(r.join(" | "));
    console.log("chart", f.chart ? f.chart.length : null);
  }
await c.close();
