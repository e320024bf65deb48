import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { validate } from "../../app/lib/validation";
import { scheduleSchema } from "../../app/forms/panel";
import { saveSchedule } from "../../app/services/panel-schedules.server";
import { actorFor } from "../support/factories";
import { parsed, scheduleForm } from "../support/panels";
import { backends, useTestDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { seedDemoUsers, useTestServer } from "../support/server";

/** Packages that hold the server's rules and machinery: pages get their results, never the code. */
const SERVER_ONLY = [
  "date-holidays",
  "date-holidays-parser",
  "moment-timezone",
  "rrule",
  "zod",
  "@node-rs/argon2",
  "kysely",
  "pg",
  "@electric-sql/pglite",
  "ical-generator",
  "nodemailer",
  "csv-stringify",
  "@observablehq/plot",
];

interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

describe("what the browser is sent", () => {
  it("has no server-only package in any client chunk, and little JavaScript in all", async () => {
    const meta = JSON.parse(await readFile(path.resolve("build/metafile.js.json"), "utf8")) as Metafile;
    const shipped = new Set<string>();
    for (const output of Object.values(meta.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        const inPackage = input.split("node_modules/").at(-1)!;
        if (bytesInOutput > 0 && input.includes("node_modules/")) {
          shipped.add(inPackage.startsWith("@") ? inPackage.split("/").slice(0, 2).join("/") : inPackage.split("/")[0]!);
        }
      }
    }
    expect(SERVER_ONLY.filter((p) => shipped.has(p))).toEqual([]);
    // Every script the client build holds, compressed: the most any page could load.
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.name.endsWith(".js")) files.push(full);
      }
    };
    await walk(path.resolve("build/client/_shared"));
    const shared = (await Promise.all(files.map(async (f) => gzipSync(await readFile(f)).length))).reduce((a, b) => a + b, 0);
    console.log(`client shared chunks: ${files.length} files, ${Math.round(shared / 1024)} KB gzipped`);
    expect(shared).toBeLessThan(150 * 1024);
  });
});

describe.each(backends)("compressed answers (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });

  it("compresses pages, scripts and styles as the browser asks, caches fingerprinted files for good, and leaves the event stream alone", async () => {
    await seedDemoUsers(t.db);
    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const home = await chair.get("/", { "accept-encoding": "br, gzip" });
    expect(home.headers.get("content-encoding")).toBe("br");
    const html = await home.text();
    expect(html).toContain("Threshold");
    const gzipped = await chair.get("/", { "accept-encoding": "gzip" });
    expect(gzipped.headers.get("content-encoding")).toBe("gzip");
    const plain = await chair.get("/", { "accept-encoding": "identity" });
    expect(plain.headers.get("content-encoding")).toBeNull();

    // Every script the page loads: those over a kilobyte come compressed, and all are cached for good.
    const scripts = [...html.matchAll(/"(\/build\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(2);
    let compressed = 0;
    for (const script of new Set(scripts)) {
      const js = await chair.get(script, { "accept-encoding": "gzip" });
      expect(js.status).toBe(200);
      expect(js.headers.get("cache-control")).toContain("immutable");
      const size = (await js.arrayBuffer()).byteLength;
      if (size > 1024) {
        expect(js.headers.get("content-encoding"), script).toBe("gzip");
        compressed++;
      }
    }
    expect(compressed).toBeGreaterThan(0);
    const css = html.match(/href="([^"]+\.css)"/)?.[1];
    expect(css).toBeTruthy();
    expect((await chair.get(css!, { "accept-encoding": "gzip" })).headers.get("content-encoding")).toBe("gzip");

    // The live page's stream: never compressed (events must arrive one by one).
    const crewe = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    const admin = await loadDemoUser(t.db, "admin@example.org");
    const chairUser = await loadDemoUser(t.db, "chair.crewe@example.org");
    const deps = { db: t.db, clock };
    const schedule = scheduleForm({ chairUserId: String(chairUser.id) });
    await saveSchedule(deps, actorFor(admin), crewe.id, parsed(validate(scheduleSchema("2026-11-23"), schedule)));
    const panel = await t.db
      .selectFrom("panels")
      .select("id")
      .where("area_id", "=", crewe.id)
      .orderBy("starts_at")
      .executeTakeFirstOrThrow();
    const stream = await chair.get(`/panels/${panel.id}/live/events`, { "accept-encoding": "br, gzip" });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-encoding")).toBeNull();
    const reader = stream.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("data:");
    await reader.cancel();
  });
});
