import { sortRequest } from "../../app/services/triage.server";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import type { Database } from "../../db/connect";
import { addAction, startMeeting } from "../../app/services/meeting.server";
import { actionForm } from "../support/panels";
import { DEMO_PASSWORD, DEMO_USERS, loadDemoUser } from "../../app/seed/demo";
import { linksOn, shapeOf } from "../support/crawl";
import { seedDemoCases } from "../../app/seed/demo-cases";
import { seedDemoSchedules } from "../../app/seed/demo-panels";
import { backends, openTestDatabase, type TestDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { seedDemoUsers, startTestServer, type TestServer } from "../support/server";

/**
 * Every form the app shows, found by walking the demo data as each demo user,
 * is posted with hostile values: the answer is always a 4xx, never a 500, and
 * nothing is stored.
 */

interface FoundForm {
  key: string;
  page: string;
  action: string;
  user: string;
  hidden: Record<string, string>;
  fields: string[];
}

function attribute(tag: string, name: string) {
  return tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1]?.replace(/&amp;/g, "&");
}

function formsOn(html: string, page: string, user: string): FoundForm[] {
  const found: FoundForm[] = [];
  for (const match of html.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)) {
    const [, open, body] = match;
    if ((attribute(open, "method") ?? "get").toLowerCase() !== "post") continue;
    const action = attribute(open, "action") ?? page;
    const hidden: Record<string, string> = {};
    const fields = new Set<string>();
    for (const input of body.matchAll(/<input[^>]*>/g)) {
      const name = attribute(input[0], "name");
      if (!name) continue;
      if (attribute(input[0], "type") === "hidden") hidden[name] = attribute(input[0], "value") ?? "";
      else fields.add(name);
    }
    for (const other of body.matchAll(/<(textarea|select)[^>]*>/g)) {
      const name = attribute(other[0], "name");
      if (name) fields.add(name);
    }
    for (const button of body.matchAll(/<button[^>]*name="intent"[^>]*>/g)) hidden.intent ??= attribute(button[0], "value") ?? "";
    found.push({ key: `${shapeOf(action)} ${hidden.intent ?? ""}`, page, action, user, hidden, fields: [...fields] });
  }
  return found;
}

describe.each(backends)("hostile input to every form (%s)", (backend) => {
  const clock = fixedClock("2026-11-23T09:00:00Z");
  let database: TestDatabase;
  let server: TestServer;
  let db: Database;
  const forms = new Map<string, FoundForm>();
  const pages = new Map<string, { path: string; user: string }>();
  const clients = new Map<string, HttpClient>();

  async function client(email: string) {
    clock.set("2026-11-23T09:00:00Z");
    if (!email) return new HttpClient(server.url);
    let c = clients.get(email);
    if (!c) {
      c = new HttpClient(server.url);
      await c.signIn(email, DEMO_PASSWORD);
      clients.set(email, c);
    }
    return c;
  }

  async function counts() {
    const tables = await sql<{
      tablename: string;
    }>`select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'`.execute(db);
    const result: Record<string, number> = {};
    for (const { tablename } of tables.rows) {
      // Reading pages writes the audit trail and sessions; nothing else may change.
      if (["audit_events", "sessions", "sign_in_attempts"].includes(tablename)) continue;
      const row = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(tablename)}`.execute(db);
      result[tablename] = row.rows[0].n;
    }
    const versions = await sql<{
      v: string;
    }>`select coalesce(string_agg(id || ':' || version, ',' order by id), '') as v from panels`.execute(db);
    result[`panel versions ${versions.rows[0].v}`] = 1;
    return result;
  }

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    db = database.db;
    await seedDemoUsers(db);
    await seedDemoSchedules(db, clock.now());
    await seedDemoCases(db, clock.now());
    server = await startTestServer(db, { clock });
    // One panel in session, so the chairing page's forms are there too.
    const chair = await loadDemoUser(db, "chair.crewe@example.org");
    const next = await db
      .selectFrom("panels")
      .select(["id", "version", "starts_at"])
      .where("area_id", "=", chair.areaId!)
      .where("status", "in", ["scheduled", "agenda_open", "agenda_closed"])
      .where((eb) =>
        eb.exists(
          eb.selectFrom("agenda_items").select("id").whereRef("agenda_items.panel_id", "=", "panels.id").where("status", "=", "listed"),
        ),
      )
      .orderBy("starts_at")
      .executeTakeFirstOrThrow();
    // A request the chair asked its requester about before the meeting, so the answer form is there too.
    const asked = await db
      .selectFrom("agenda_items")
      .innerJoin("requests", "requests.id", "agenda_items.request_id")
      .innerJoin("users", "users.id", "requests.submitted_by_user_id")
      .select(["agenda_items.id", "agenda_items.request_id", "users.email"])
      .where("agenda_items.panel_id", "=", next.id)
      .where("agenda_items.status", "=", "listed")
      .orderBy("agenda_items.position", "desc")
      .executeTakeFirstOrThrow();
    await sortRequest({ db, clock }, { user: chair, ip: null }, next.id, {
      version: next.version,
      itemId: asked.id,
      choice: "ask",
      question: "Has the school seen the family since October?",
      advice: undefined,
    });
    const started = await db.selectFrom("panels").select("version").where("id", "=", next.id).executeTakeFirstOrThrow();
    clock.set(new Date(new Date(next.starts_at).getTime() - 60_000));
    await startMeeting({ db, clock }, { user: chair, ip: null }, next.id, { version: started.version });
    // An account the chair makes for a new action owner waits on the Users page with its confirm and remove form.
    const item = await db
      .selectFrom("agenda_items")
      .select("id")
      .where("panel_id", "=", next.id)
      .where("status", "=", "listed")
      .executeTakeFirstOrThrow();
    const police = await db.selectFrom("agencies").select("id").where("kind", "=", "police").executeTakeFirstOrThrow();
    await addAction(
      { db, clock },
      { user: chair, ip: null },
      next.id,
      actionForm(clock.now().toISOString().slice(0, 10), item.id, "new", "2026-12-30", {
        newOwnerName: "Pat Police",
        newOwnerEmail: "pat.police@example.org",
        newOwnerAgencyId: String(police.id),
      }),
    );
    // A standing step down in the chair's area, so its review form is there too.
    const steppedDown = await db
      .selectFrom("decisions")
      .innerJoin("cases", "cases.id", "decisions.case_id")
      .select("cases.reference")
      .where("cases.area_id", "=", chair.areaId!)
      .where("decisions.superseded_by_decision_id", "is", null)
      .where("decisions.outcome", "like", "step_down_agreed%")
      .executeTakeFirstOrThrow();
    const inSession = [`/panels/${next.id}`, `/panels/${next.id}/meeting`, `/cases/${steppedDown.reference}/review`];
    const signedOut = new HttpClient(server.url);
    for (const form of formsOn(await (await signedOut.get("/sign-in")).text(), "/sign-in", "")) forms.set(form.key, form);
    // Walk every page each demo user can reach, one of each shape, collecting the forms.
    for (const { email } of DEMO_USERS) {
      const c = await client(email);
      const queue = ["/"];
      if (email === "chair.crewe@example.org") queue.push(...inSession);
      if (email === asked.email) queue.push(`/requests/${asked.request_id}/answer`);
      if (email === "referrer@example.org") {
        // A draft's question pages are reached by starting one.
        const draft = (await c.submit("/requests/new", { kind: "step_down" })).headers.get("location")!.replace(/\/[a-z-]+$/, "");
        queue.push(`${draft}/risk`);
        await c.submit(`${draft}/risk`, { immediateRisk: "no" });
        queue.push(`${draft}/child`, `${draft}/details`);
        // A second draft answered "yes" shows the front door's form.
        const urgent = (await c.submit("/requests/new", { kind: "step_up" })).headers.get("location")!.replace(/\/[a-z-]+$/, "");
        await c.submit(`${urgent}/risk`, { immediateRisk: "yes" });
        queue.push(`${urgent}/front-door-details`);
      }
      // Up to three pages of each shape: the first panel in a list may be a past one with no forms.
      const seen = new Map<string, number>();
      let visited = 0;
      while (queue.length && visited < 250) {
        const path = queue.shift()!;
        const shape = shapeOf(path);
        if ((seen.get(shape) ?? 0) >= 3 || seen.has(path)) continue;
        seen.set(shape, (seen.get(shape) ?? 0) + 1);
        seen.set(path, 1);
        visited++;
        const response = await c.get(path);
        if (response.status !== 200 || !response.headers.get("content-type")?.includes("text/html")) {
          await response.arrayBuffer();
          continue;
        }
        const html = await response.text();
        pages.set(`${email} ${shape}`, { path, user: email });
        for (const form of formsOn(html, path, email)) if (!forms.has(form.key)) forms.set(form.key, form);
        for (const href of linksOn(html, path)) {
          if ((seen.get(shapeOf(href)) ?? 0) < 3 && !seen.has(href)) queue.push(href);
        }
      }
    }
  }, 600_000);

  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it("finds the forms of every part of the app", () => {
    const shapes = [...forms.values()].flatMap((f) => [shapeOf(f.action), f.key.trim()]);
    for (const expected of [
      "/sign-in",
      "/panels/:id/meeting attendance",
      "/panels/:id/meeting decide",
      "/panels/:id/meeting action",
      "/panels/:id/meeting add_attendee",
      "/panels/:id/meeting go_ahead",
      "/panels/:id/meeting approve_minutes",
      "/panels/:id/meeting live",
      "/account/password",
      "/account/two-factor confirm",
      "/admin/security",
      "/admin/agencies/:id/sign-in",
      "/panels/:id/items/:id",
      "/panels/:id/items/:id sort",
      "/requests/:id/answer",
      "/requests/new",
      "/requests/:id/child",
      "/requests/:id/details",
      "/requests/:id/risk",
      "/requests/:id/front-door-details",
      "/requests/:id/delete",
      "/front-door",
      "/admin/front-door",
      "/admin/users confirm",
      "/cases",
      "/panels/:id",
      "/schedules/:id",
      "/admin/users/new",
      "/admin/agencies",
      "/admin/areas",
      "/cases/:ref",
      "/cases/:ref/family",
      "/cases/:ref/lead",
      "/cases/:ref/review",
      "/panels/:id/declare",
      "/panels/:id/pack read",
      "/panels/:id/pack information_return",
      "/cases/:ref/letter save",
      "/cases/:ref/subject-access",
      "/admin/letters/step_up_agreed",
      "/challenges/:id",
      "/actions",
      "/sign-out",
    ]) {
      expect(shapes, expected).toContain(expected);
    }
    expect(forms.size).toBeGreaterThan(25);
    if (process.env.SHOW_FORMS) console.log([...forms.keys()].sort().join("\n"));
  });

  it("answers NUL bytes and other control characters in any field with 400, and stores nothing", async () => {
    const before = await counts();
    for (const bad of ["a\u0000b", "\u0007bell", "x\u001b[31m"]) {
      for (const form of forms.values()) {
        const c = await client(form.user);
        const csrf = await c.csrfFrom(form.page);
        const body: Record<string, string> = { ...form.hidden, csrf, hostile: bad };
        for (const field of form.fields) body[field] = bad;
        const response = await c.post(form.action, body);
        expect(response.status, `${form.key} as ${form.user}`).toBe(400);
      }
    }
    expect(await counts()).toEqual(before);
  });

  it("answers non-numeric date parts, script links and formula-like text with a 4xx, never a 500, and stores none of it", async () => {
    const before = await counts();
    for (const form of forms.values()) {
      const dates = form.fields.filter((f) => /(Day|Month|Year)$/.test(f));
      const links = form.fields.filter((f) => /link/i.test(f));
      if (!dates.length && !links.length) continue;
      for (const value of ["x", "-1", "1e3", "99999999999999999999"]) {
        const c = await client(form.user);
        const csrf = await c.csrfFrom(form.page);
        const body: Record<string, string> = { ...form.hidden, csrf };
        for (const field of form.fields)
          body[field] = /(Day|Month|Year)$/.test(field)
            ? value
            : /link/i.test(field)
              ? " JavaScript:alert(1)"
              : '=HYPERLINK("https://evil.example")';
        const response = await c.post(form.action, body);
        expect(response.status, `${form.key} with ${value}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${form.key} with ${value}`).toBeLessThan(500);
      }
    }
    expect(await counts()).toEqual(before);
    const links = await sql<{
      link: string;
    }>`select meeting_link as link from panels where meeting_link is not null union all select meeting_link from panel_schedules where meeting_link is not null`.execute(
      db,
    );
    for (const { link } of links.rows) expect(link).toMatch(/^https?:\/\//);
  });

  it("sends every page with a strict browser policy: a fresh script nonce on every script, no caching, features off", async () => {
    const nonces = new Set<string>();
    for (const { path, user } of pages.values()) {
      const response = await (await client(user)).get(path);
      const html = await response.text();
      const csp = response.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce, path).toBeTruthy();
      nonces.add(nonce!);
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("form-action 'self'");
      expect(csp, path).not.toContain("unsafe-inline");
      expect(response.headers.get("cache-control"), path).toBe("no-store");
      expect(response.headers.get("permissions-policy"), path).toContain("camera=()");
      // Every script the page carries is ours: its nonce, and no inline style attributes either.
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
      expect(html, path).not.toMatch(/\sstyle="/);
    }
    expect(nonces.size).toBe(pages.size);
  });

  it("answers ids too large for a record with 404 on every page that takes one", async () => {
    let checked = 0;
    for (const { path, user } of pages.values()) {
      if (!/\/\d+(\/|$)/.test(path.replace(/\?.*$/, ""))) continue;
      const c = await client(user);
      for (const id of ["2147483648", "99999999999999999999"]) {
        const target = path.replace(/\?.*$/, "").replace(/\/\d+(?=\/|$)/, `/${id}`);
        const response = await c.get(target);
        expect(response.status, target).toBe(404);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("refuses a body over the limit on every form, before reading it", async () => {
    for (const form of forms.values()) {
      const c = await client(form.user);
      const cookie = (c as unknown as { cookieHeader(): string }).cookieHeader();
      const response = await fetch(server.url + form.action, {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: `csrf=x&note=${"a".repeat(1_000_001)}`,
      });
      expect(response.status, form.key).toBe(413);
    }
  });
});
