import { hashSync } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { may, maySeeCase, type CaseRelation } from "../../domain/policy";
import { fixedClock } from "../../app/lib/clock";
import type { CurrentUser } from "../../app/lib/context";
import { DEMO_PASSWORD, DEMO_USERS, loadDemoUser } from "../../app/seed/demo";
import { seedDemoCases } from "../../app/seed/demo-cases";
import { seedDemoHistory } from "../../app/seed/demo-history";
import { seedDemoSchedules } from "../../app/seed/demo-panels";
import { addAction, startMeeting } from "../../app/services/meeting.server";
import type { Database } from "../../db/connect";
import { linksOn, shapeOf } from "../support/crawl";
import { backends, openTestDatabase, type TestDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { actionForm } from "../support/panels";
import { seedDemoUsers, startTestServer, type TestServer } from "../support/server";

/**
 * The case-visibility rule, tested from its definition: for every demo user
 * (and an account a chair made at a panel) and every demo case, the facts the
 * rule looks at are gathered here with plain queries, the rule is applied, and
 * every page that shows cases must agree: a case page opens exactly when the
 * rule says so, and no page names a case the rule hides.
 */

const REFERENCE = /TH-\d{4}-\d{6}/g;
const MADE_EMAIL = "new.contact@early-help.example.org";

async function relationsFor(db: Database, user: CurrentUser): Promise<Map<string, CaseRelation>> {
  const [cases, requests, items, attendees, actions, decisions, frontDoor, leads] = await Promise.all([
    db.selectFrom("cases").select(["id", "reference", "area_id", "created_by_user_id"]).execute(),
    db.selectFrom("requests").select(["case_id", "submitted_by_user_id", "status"]).execute(),
    db.selectFrom("agenda_items").select(["case_id", "panel_id", "status", "invite_sent_user_ids"]).execute(),
    db.selectFrom("panel_attendees").select(["panel_id", "user_id", "role"]).execute(),
    db.selectFrom("actions").select(["case_id", "owner_user_id"]).execute(),
    db
      .selectFrom("decisions")
      .select(["id", "case_id", "decided_at", "superseded_by_decision_id", "risk_holder_user_id", "lead_practitioner_user_id"])
      .execute(),
    db.selectFrom("front_door_members").select("user_id").execute(),
    db.selectFrom("lead_practitioners").select(["id", "case_id", "decision_id", "lead_user_id", "supervisor_user_id"]).execute(),
  ]);
  const wholePanels = new Set(
    attendees.filter((a) => a.user_id === user.id && (a.role === "chair" || a.role === "core")).map((a) => a.panel_id),
  );
  const inFrontDoorTeam = frontDoor.some((m) => m.user_id === user.id);
  const result = new Map<string, CaseRelation>();
  for (const c of cases) {
    const standing = decisions
      .filter((d) => d.case_id === c.id && d.superseded_by_decision_id === null)
      .sort((a, b) => new Date(a.decided_at).getTime() - new Date(b.decided_at).getTime() || a.id - b.id)
      .at(-1);
    // The receiving service's latest naming of a lead practitioner (and supervisor) after the standing decision.
    const lead = leads
      .filter((l) => l.case_id === c.id)
      .sort((a, b) => a.id - b.id)
      .at(-1);
    const namedLater =
      lead !== undefined && lead.decision_id === standing?.id && (lead.lead_user_id === user.id || lead.supervisor_user_id === user.id);
    const onPanel = items.filter((i) => i.case_id === c.id && (i.status === "listed" || i.status === "decided"));
    result.set(c.reference, {
      areaId: c.area_id,
      requested: c.created_by_user_id === user.id || requests.some((r) => r.case_id === c.id && r.submitted_by_user_id === user.id),
      invited: onPanel.some((i) => i.invite_sent_user_ids.includes(user.id) || wholePanels.has(i.panel_id)),
      ownsAction: actions.some((a) => a.case_id === c.id && a.owner_user_id === user.id),
      named:
        (standing !== undefined && (standing.risk_holder_user_id === user.id || standing.lead_practitioner_user_id === user.id)) ||
        namedLater,
      frontDoor: inFrontDoorTeam && requests.some((r) => r.case_id === c.id && r.status === "front_door"),
    });
  }
  return result;
}

describe.each(backends)("who sees which child's case (%s)", (backend) => {
  const clock = fixedClock("2026-11-23T09:00:00Z");
  let database: TestDatabase;
  let server: TestServer;
  let db: Database;
  let madeFor: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    db = database.db;
    await seedDemoUsers(db);
    await seedDemoSchedules(db, clock.now());
    await seedDemoCases(db, clock.now());
    await seedDemoHistory(db, clock.now());
    server = await startTestServer(db, { clock });
    // The Crewe chair, in the room, makes an account for a new action owner at Early Help,
    // an agency involved in every Macclesfield child's case.
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
    clock.set(new Date(new Date(next.starts_at).getTime() - 60_000));
    const deps = { db, clock };
    await startMeeting(deps, { user: chair, ip: null }, next.id, { version: next.version });
    const item = await db
      .selectFrom("agenda_items")
      .innerJoin("cases", "cases.id", "agenda_items.case_id")
      .select(["agenda_items.id", "cases.reference"])
      .where("panel_id", "=", next.id)
      .where("agenda_items.status", "=", "listed")
      .orderBy("position")
      .executeTakeFirstOrThrow();
    madeFor = item.reference;
    const earlyHelp = await db.selectFrom("agencies").select("id").where("kind", "=", "early_help").executeTakeFirstOrThrow();
    await addAction(
      deps,
      { user: chair, ip: null },
      next.id,
      actionForm(clock.now().toISOString().slice(0, 10), item.id, "new", "2026-12-20", {
        newOwnerName: "Nell Newcontact",
        newOwnerEmail: MADE_EMAIL,
        newOwnerAgencyId: String(earlyHelp.id),
      }),
    );
    // Whoever follows the emailed link chooses a password; here it is set directly.
    await db
      .updateTable("users")
      .set({ password_hash: hashSync(DEMO_PASSWORD) })
      .where("email", "=", MADE_EMAIL)
      .execute();
  }, 600_000);

  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it("an account a chair makes at a panel reaches only what it was made for, is audited with its maker, and waits for an administrator", async () => {
    const made = await loadDemoUser(db, MADE_EMAIL);
    const visible = [...(await relationsFor(db, made))].filter(([, r]) => maySeeCase(made, r)).map(([ref]) => ref);
    expect(visible).toEqual([madeFor]);
    const c = new HttpClient(server.url);
    await c.signIn(MADE_EMAIL, DEMO_PASSWORD);
    const macclesfield = await db
      .selectFrom("cases")
      .innerJoin("areas", "areas.id", "cases.area_id")
      .select("reference")
      .where("areas.name", "=", "Macclesfield")
      .limit(5)
      .execute();
    for (const { reference } of macclesfield) expect((await c.get(`/cases/${reference}`)).status, reference).toBe(404);
    expect((await c.get(`/cases/${madeFor}`)).status).toBe(200);

    const chair = await loadDemoUser(db, "chair.crewe@example.org");
    const audit = await db
      .selectFrom("audit_events")
      .select(["actor_user_id", "detail"])
      .where("action", "=", "user.created")
      .where("record_id", "=", String(made.id))
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_user_id).toBe(chair.id);
    expect(audit[0].detail).toMatchObject({ madeFor: "action", role: "partner" });

    const admin = new HttpClient(server.url);
    await admin.signIn("admin@example.org", DEMO_PASSWORD);
    const users = await (await admin.get("/admin/users")).text();
    expect(users).toContain("Accounts made at panels, to confirm or remove");
    expect(users).toContain(MADE_EMAIL);
    expect(users).toContain("Chris Crewe");
    const confirmed = await admin.submit("/admin/users?index", { userId: String(made.id), intent: "confirm" });
    expect(confirmed.status).toBe(302);
    expect(await (await admin.get("/admin/users")).text()).not.toContain("Accounts made at panels, to confirm or remove");
    // Confirmed, it still sees a case only through its own part in it.
    expect((await c.get(`/cases/${macclesfield[0].reference}`)).status).toBe(404);
  });

  it("every case page and every page listing cases agrees with the rule, for every demo user", async () => {
    const people = [...DEMO_USERS.map((u) => u.email), MADE_EMAIL];
    const named = await db
      .selectFrom("cases")
      .select(["reference", "child_first_name", "child_last_name"])
      .where("child_last_name", "is not", null)
      .where("anonymised_at", "is", null)
      .execute();
    const bySurname = new Map<string, string[]>();
    for (const c of named) bySurname.set(c.child_last_name!, [...(bySurname.get(c.child_last_name!) ?? []), c.reference]);
    for (const email of people) {
      clock.set("2026-11-23T09:00:00Z");
      const user = await loadDemoUser(db, email);
      const relations = await relationsFor(db, user);
      const allowed = new Set([...relations].filter(([, r]) => maySeeCase(user, r)).map(([ref]) => ref));
      // A child's name appears only where the rule lets them see a case of that name.
      const byName = new Map<string, string[]>();
      for (const n of named) {
        const name = `${n.child_first_name} ${n.child_last_name}`;
        byName.set(name, [...(byName.get(name) ?? []), n.reference]);
      }
      const hiddenNames = [...byName].filter(([, refs]) => !refs.some((r) => allowed.has(r))).map(([name]) => name);
      const c = new HttpClient(server.url);
      await c.signIn(email, DEMO_PASSWORD);
      const references = [...relations.keys()];
      for (let i = 0; i < references.length; i += 8) {
        const batch = references.slice(i, i + 8);
        const statuses = await Promise.all(batch.map(async (reference) => (await c.get(`/cases/${reference}`)).status));
        batch.forEach((reference, j) => expect(statuses[j], `${email} opening ${reference}`).toBe(allowed.has(reference) ? 200 : 404));
        // What the family was told, the letter to them and who leads the case are read under the same rule as the case.
        for (const page of ["family", "letter", "lead"]) {
          const told = await Promise.all(batch.map(async (reference) => (await c.get(`/cases/${reference}/${page}`)).status));
          batch.forEach((reference, j) =>
            expect(told[j], `${email} opening ${reference}/${page}`).toBe(allowed.has(reference) ? 200 : 404),
          );
        }
        // The family's subject-access copy: managers only, and then by the same rule.
        for (const page of ["subject-access/copy"]) {
          const held = await Promise.all(batch.map(async (reference) => (await c.get(`/cases/${reference}/${page}`)).status));
          batch.forEach((reference, j) =>
            expect(held[j], `${email} opening ${reference}/${page}`).toBe(
              !may(user, "managePanels") ? 403 : allowed.has(reference) ? 200 : 404,
            ),
          );
        }
      }
      // Every page they can reach (a few of each shape) names only cases the rule lets them see.
      const queue = ["/"];
      const seen = new Map<string, number>();
      let visited = 0;
      while (queue.length && visited < 200) {
        const path = queue.shift()!;
        const shape = shapeOf(path);
        if ((seen.get(shape) ?? 0) >= 3 || seen.has(path)) continue;
        seen.set(shape, (seen.get(shape) ?? 0) + 1);
        seen.set(path, 1);
        const response = await c.get(path);
        if (response.status !== 200 || !response.headers.get("content-type")?.includes("text/html")) continue;
        visited++;
        const html = await response.text();
        // The audit trail and the kept mailbox are records about the service, read by references alone.
        if (/^\/(audit|dev\/mailbox)\b/.test(path)) continue;
        for (const [reference] of html.matchAll(REFERENCE)) {
          expect(allowed.has(reference), `${email} shown ${reference} on ${path}`).toBe(true);
        }
        for (const name of hiddenNames) expect(html.includes(name), `${email} shown ${name} on ${path}`).toBe(false);
        queue.push(...linksOn(html, path));
      }
      expect(visited, email).toBeGreaterThan(1);
      // Find a child: searching every child's surname finds exactly the cases the rule lets them see.
      if (!may(user, "takePart")) {
        expect((await c.get("/cases")).status, `${email} finding a child`).toBe(403);
        continue;
      }
      const csrf = await c.csrfFrom("/cases");
      for (const [surname, references] of [...bySurname].slice(0, 30)) {
        const response = await c.post("/cases?index", { csrf, q: surname });
        expect(response.status, `${email} searching`).toBe(200);
        const found = (await response.text()).split('<h2 class="govuk-heading-m">My cases</h2>')[0]!;
        const shown = new Set([...found.matchAll(REFERENCE)].map(([reference]) => reference));
        expect(
          [...shown].filter((r) => !allowed.has(r)),
          `${email} searching ${surname}`,
        ).toEqual([]);
        expect(
          references.filter((r) => allowed.has(r) && !shown.has(r)),
          `${email} searching ${surname}`,
        ).toEqual([]);
      }
    }
  }, 900_000);
});
