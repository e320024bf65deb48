import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, type Connection } from "../../db/connect";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { enqueueEmail } from "../../emails/outbox";
import { renderEmail } from "../../emails/render";
import { HttpClient } from "../support/http-client";
import { startSmtpSink } from "../support/smtp";
import { freePort, scratchDatabase, startInstance, stopInstance } from "../support/instances";

/**
 * The deployment the README describes, through real HTTP: on one PostgreSQL,
 * instance A (two web processes, Node's cluster), instance B (one), and two
 * separate workers (`npm run worker`). Sessions and forms work whichever
 * answers; concurrent chairs resolve by the version rules with the loser's
 * input kept; every email goes out once; scheduled jobs run once.
 */
const adminUrl = process.env.TEST_DATABASE_URL;

/** The status of a GET on a connection of its own, retried until it is answered or the time is up. */
async function answeredOnNewConnection(url: string, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await new Promise<number>((resolve, reject) => {
        const request = httpGet(url, { agent: false }, (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        });
        request.on("error", reject);
        // A connection handed to the process just killed is never answered: give up on it and try another.
        request.setTimeout(500, () => request.destroy(new Error("no answer")));
      });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe.skipIf(!adminUrl)("several instances and workers on one PostgreSQL", () => {
  const children: ChildProcess[] = [];
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let connection: Connection;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let a = "";
  let b = "";

  async function run(env: Record<string, string>, options: { port?: number; args?: string[] } = {}) {
    children.push(await startInstance({ DATABASE_URL: database.url, NODE_ENV: "development", SMTP_URL: smtp.url, ...env }, options));
  }

  beforeAll(async () => {
    database = await scratchDatabase(adminUrl!, "threshold_instances");
    smtp = await startSmtpSink({ parse: false });
    const [portA, portB] = [await freePort(), await freePort()];
    a = `http://127.0.0.1:${portA}`;
    b = `http://127.0.0.1:${portB}`;
    // Migrations and the demo run once, from the first instance, before the others roll.
    await run({ WEB_CONCURRENCY: "2", RUN_WORKER: "false", SEED_DEMO: "always" }, { port: portA });
    await run({ WEB_CONCURRENCY: "1", RUN_WORKER: "false", SEED_DEMO: "never" }, { port: portB });
    connection = await connectDatabase({ databaseUrl: database.url });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(children.map(stopInstance));
    await connection?.close();
    await smtp?.close();
    await database?.drop();
  });

  /** A client on another instance holding the same cookies (the browser moving between instances). */
  function sameBrowserOn(base: string, from: HttpClient) {
    const other = new HttpClient(base);
    (other as unknown as { cookies: Map<string, string> }).cookies = (from as unknown as { cookies: Map<string, string> }).cookies;
    return other;
  }

  it("a session and its anti-forgery token made on one instance work on the other, and on every web process", async () => {
    const onA = new HttpClient(a);
    await onA.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const onB = sameBrowserOn(b, onA);
    expect(await (await onB.get("/")).text()).toContain("Welcome, Chris Crewe");
    // Each on a new connection, which A's cluster deals out to its web processes in turn: all are signed in.
    const cookie = [...(onA as unknown as { cookies: Map<string, string> }).cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    for (let i = 0; i < 6; i++) {
      const page = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpGet(`${a}/`, { agent: false, headers: { cookie } }, (response) => {
          let body = "";
          response.on("data", (chunk: Buffer) => (body += chunk.toString()));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        });
        request.on("error", reject);
      });
      expect(page.status).toBe(200);
      expect(page.body).toContain("Welcome, Chris Crewe");
    }
    // A form read on A is accepted on B: signing out with A's token.
    const token = await onA.csrfFrom("/");
    expect([302, 303]).toContain((await onB.post("/sign-out", { csrf: token })).status);
    const after = await onA.get("/");
    expect([302, 303]).toContain(after.status);
    expect(after.headers.get("location")).toMatch(/^\/sign-in/);
  });

  it("a web process that dies is replaced, and the instance keeps answering meanwhile", async () => {
    const webProcesses = () =>
      readFileSync(`/proc/${children[0]!.pid}/task/${children[0]!.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    const before = webProcesses();
    expect(before).toHaveLength(2);
    process.kill(before[0]!, "SIGKILL");
    // New connections are answered by the process still running (a request in flight on the killed one is lost).
    const started = Date.now();
    expect(await answeredOnNewConnection(`${a}/healthz`, 5000)).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !(webProcesses().length === 2 && !webProcesses().includes(before[0]!))) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const after = webProcesses();
    expect(after).toHaveLength(2);
    expect(after).not.toContain(before[0]);
    for (let i = 0; i < 4; i++) expect(await answeredOnNewConnection(`${a}/healthz`, 5000)).toBe(200);
  });

  it("two chairs changing one agenda item on different instances: the first wins, the second is told and keeps what they typed", async () => {
    const item = await connection.db
      .selectFrom("agenda_items")
      .innerJoin("panels", "panels.id", "agenda_items.panel_id")
      .innerJoin("areas", "areas.id", "panels.area_id")
      .select(["agenda_items.id", "agenda_items.panel_id"])
      .where("areas.name", "=", "Crewe")
      .where("agenda_items.status", "=", "listed")
      .where("panels.status", "in", ["agenda_open", "agenda_closed", "scheduled"])
      .orderBy("panels.starts_at")
      .executeTakeFirstOrThrow();
    const path = `/panels/${item.panel_id}/items/${item.id}`;
    const chair = new HttpClient(a);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const manager = new HttpClient(b);
    await manager.signIn("service.manager@example.org", DEMO_PASSWORD);
    const read = async (client: HttpClient) => {
      const html = await (await client.get(path)).text();
      return { csrf: /name="csrf" value="([^"]+)"/.exec(html)![1]!, version: /name="version" value="(\d+)"/.exec(html)![1]! };
    };
    const [first, second] = [await read(chair), await read(manager)];
    expect(first.version).toBe(second.version);
    const won = await chair.post(path, { csrf: first.csrf, version: first.version, slotMinutes: "25" });
    expect(won.status).toBe(302);
    const lost = await manager.post(path, { csrf: second.csrf, version: second.version, slotMinutes: "35" });
    expect(lost.status).toBe(409);
    const page = await lost.text();
    expect(page).toMatch(/changed/i);
    expect(page).toMatch(/name="slotMinutes"[^>]*value="35"|value="35"[^>]*name="slotMinutes"/);
    const saved = await connection.db.selectFrom("agenda_items").select("slot_minutes").where("id", "=", item.id).executeTakeFirstOrThrow();
    expect(saved.slot_minutes).toBe(25);
  });

  it("with two workers, every email is delivered exactly once and a due job runs once", async () => {
    const batch = randomBytes(3).toString("hex");
    for (let i = 0; i < 150; i++) {
      const email = renderEmail({ subject: "Threshold: test", heading: "Test", paragraphs: ["Test."] });
      await enqueueEmail(
        connection.db,
        { ...email, key: `instances:${batch}:${i}`, kind: "test", to: `person${i}.${batch}@example.test` },
        new Date(),
      );
    }
    // Monday's snapshot, due now, before the workers start.
    await connection.db
      .insertInto("jobs")
      .values({
        key: `insight.weekly_snapshot:test-${batch}`,
        kind: "insight.weekly_snapshot",
        payload: "{}",
        run_at: new Date(),
        created_at: new Date(),
      })
      .execute();
    await Promise.all([run({}, { args: ["worker"] }), run({}, { args: ["worker"] })]);
    const deadline = Date.now() + 60_000;
    const mine = () => smtp.received.filter((m) => m.envelopeTo.some((to) => to.endsWith(`.${batch}@example.test`)));
    const snapshots = () => smtp.received.filter((m) => m.raw.includes("weekly panel figures"));
    while ((mine().length < 150 || snapshots().length < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    // Give a duplicate the chance to arrive before counting.
    await new Promise((r) => setTimeout(r, 3000));
    const recipients = mine().flatMap((m) => m.envelopeTo);
    expect(recipients).toHaveLength(150);
    expect(new Set(recipients).size).toBe(150);
    const managers = await connection.db
      .selectFrom("users")
      .select("email")
      .where("role", "=", "service_manager")
      .where("active", "=", true)
      .execute();
    expect(
      snapshots()
        .flatMap((m) => m.envelopeTo)
        .sort(),
    ).toEqual(managers.map((m) => m.email).sort());
    const job = await connection.db
      .selectFrom("jobs")
      .select(["status", "attempts"])
      .where("key", "=", `insight.weekly_snapshot:test-${batch}`)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: "done", attempts: 0 });
  }, 90_000);
});
