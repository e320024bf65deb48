import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { validate } from "../../app/lib/validation";
import { scheduleSchema } from "../../app/forms/panel";
import { saveSchedule } from "../../app/services/panel-schedules.server";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { backends, useTestDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { parsed, scheduleForm } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

describe.each(backends)("panel, challenge and calendar pages over HTTP (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });

  /** Crewe's schedule and two requests on the 9 December panel. */
  async function setUp() {
    clock.set("2026-11-23T09:00:00Z");
    await seedDemoUsers(t.db);
    const deps = { db: t.db, clock };
    const admin = await loadDemoUser(t.db, "admin@example.org");
    const chair = await loadDemoUser(t.db, "chair.crewe@example.org");
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const crewe = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    await saveSchedule(
      deps,
      { user: admin, ip: null },
      crewe.id,
      parsed(validate(scheduleSchema("2026-11-23"), scheduleForm({ chairUserId: String(chair.id) }))),
    );
    const a = await submitCompleteRequest(deps, referrer, "step_up", crewe.id);
    const b = await submitCompleteRequest(deps, referrer, "step_down", crewe.id);
    const panel = (await t.db.selectFrom("panels").selectAll().where("area_id", "=", crewe.id).orderBy("starts_at").execute())[1];
    return { panel, a, b, crewe };
  }

  it("moves an agenda item with a plain form post, and refuses a stale version with 409 and a clear message", async () => {
    const { panel, a, b } = await setUp();
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const page = await (await c.get(`/panels/${panel.id}`)).text();
    expect(page.indexOf(a.reference)).toBeLessThan(page.indexOf(b.reference));
    const items = await t.db.selectFrom("agenda_items").selectAll().where("panel_id", "=", panel.id).orderBy("position").execute();
    const version = String(panel.version);
    const csrf = await c.csrfFrom(`/panels/${panel.id}`);
    const moved = await c.post(`/panels/${panel.id}`, { csrf, intent: "move", version, move: `${items[1].id}:up` });
    expect(moved.status).toBe(302);
    const after = await (await c.get(`/panels/${panel.id}`)).text();
    expect(after.indexOf(b.reference)).toBeLessThan(after.indexOf(a.reference));
    const stale = await c.post(`/panels/${panel.id}`, { csrf, intent: "move", version, move: `${items[1].id}:down` });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain("This panel changed while you were working");
  });

  it("reorders the whole agenda in one step without JavaScript: one changed number moves its item, the others make room", async () => {
    const { panel, a, b, crewe } = await setUp();
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const c3 = await submitCompleteRequest({ db: t.db, clock }, referrer, "step_up", crewe.id);
    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const path = `/panels/${panel.id}`;
    const items = await t.db.selectFrom("agenda_items").selectAll().where("panel_id", "=", panel.id).orderBy("position").execute();
    const [itemA, itemB, itemC] = items;
    const page = await (await chair.get(path)).text();
    expect(page).toContain("Change the order of the agenda");
    for (const [index, item] of items.entries()) expect(page).toMatch(new RegExp(`name="position_${item.id}"[^>]*value="${index + 1}"`));
    const version = async () =>
      String((await t.db.selectFrom("panels").select("version").where("id", "=", panel.id).executeTakeFirstOrThrow()).version);
    const csrf = await chair.csrfFrom(path);

    // The third item to first: only its number changes.
    const moved = await chair.post(path, {
      csrf,
      intent: "reorder",
      version: await version(),
      [`position_${itemA.id}`]: "1",
      [`position_${itemB.id}`]: "2",
      [`position_${itemC.id}`]: "1",
    });
    expect(moved.status).toBe(302);
    expect(moved.headers.get("location")).toBe(`${path}?done=reordered`);
    const order = async () =>
      (await t.db.selectFrom("agenda_items").select("id").where("panel_id", "=", panel.id).orderBy("position").execute()).map((i) => i.id);
    expect(await order()).toEqual([itemC.id, itemA.id, itemB.id]);
    const after = await (await chair.get(`${path}?done=reordered`)).text();
    expect(after).toContain("The agenda&#x27;s order was saved.");
    expect(after.indexOf(c3.reference)).toBeLessThan(after.indexOf(a.reference));
    expect(after.indexOf(a.reference)).toBeLessThan(after.indexOf(b.reference));

    // A number that is not one: the field says so and keeps what was typed; the order stands.
    const wrong = await chair.post(path, {
      csrf,
      intent: "reorder",
      version: await version(),
      [`position_${itemC.id}`]: "1",
      [`position_${itemA.id}`]: "first",
      [`position_${itemB.id}`]: "3",
    });
    expect(wrong.status).toBe(422);
    const html = await wrong.text();
    expect(html).toContain(`href="#position_${itemA.id}"`);
    expect(html).toContain("Enter the item&#x27;s place as a whole number, like 3");
    expect(html).toMatch(new RegExp(`name="position_${itemA.id}"[^>]*value="first"`));
    expect(await order()).toEqual([itemC.id, itemA.id, itemB.id]);

    // A form drawn before an item was added is refused rather than guessing where the new one goes.
    const stale = await chair.post(path, {
      csrf,
      intent: "reorder",
      version: await version(),
      [`position_${itemC.id}`]: "2",
      [`position_${itemA.id}`]: "1",
    });
    expect(stale.status).toBe(422);
    expect(await stale.text()).toContain("The agenda has changed since this page was drawn");
    expect(await order()).toEqual([itemC.id, itemA.id, itemB.id]);

    // Nobody but the chair reorders.
    const partner = new HttpClient(server.url);
    await partner.signIn("referrer@example.org", DEMO_PASSWORD);
    const refused = await partner.post(path, {
      csrf: await partner.csrfFrom("/"),
      intent: "reorder",
      version: await version(),
      [`position_${itemB.id}`]: "1",
    });
    expect([403, 404]).toContain(refused.status);
    expect(await order()).toEqual([itemC.id, itemA.id, itemB.id]);
  });

  it("answers 400 to a malformed request and 404 to unknown or hidden panels, never 500", async () => {
    const { panel } = await setUp();
    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const csrf = await chair.csrfFrom(`/panels/${panel.id}`);
    expect((await chair.post(`/panels/${panel.id}`, { csrf, intent: "explode" })).status).toBe(400);
    expect((await chair.post(`/panels/${panel.id}`, { csrf, intent: "move", version: "x", move: "y:sideways" })).status).toBe(400);
    expect((await chair.get("/panels/999999")).status).toBe(404);
    expect((await chair.get("/panels/abc")).status).toBe(404);
    expect((await chair.get("/challenges/register?status=nonsense")).status).toBe(400);
    const other = new HttpClient(server.url);
    await other.signIn("chair.macclesfield@example.org", DEMO_PASSWORD);
    expect((await other.get(`/panels/${panel.id}`)).status).toBe(404);
    const partner = new HttpClient(server.url);
    await partner.signIn("volunteer@example.org", DEMO_PASSWORD);
    expect((await partner.get(`/panels/${panel.id}/meeting`)).status).toBe(403);
    expect((await partner.get("/schedules")).status).toBe(403);
    expect((await chair.get("/schedules")).status).toBe(403);
    const admin = new HttpClient(server.url);
    await admin.signIn("admin@example.org", DEMO_PASSWORD);
    expect((await admin.get("/admin/areas/999999")).status).toBe(404);
    expect((await admin.get("/admin/agencies/999999")).status).toBe(404);
    expect((await admin.get("/schedules/999999")).status).toBe(404);
    const crewe = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    expect(await (await admin.get(`/admin/areas/${crewe.id}`)).text()).toContain(`value="Crewe"`);
  });

  it("keeps what was typed and names the field when an agenda slot runs past the end", async () => {
    const { panel } = await setUp();
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const item = await t.db
      .selectFrom("agenda_items")
      .selectAll()
      .where("panel_id", "=", panel.id)
      .orderBy("position")
      .executeTakeFirstOrThrow();
    const path = `/panels/${panel.id}/items/${item.id}`;
    const response = await c.submit(path, { version: String(panel.version), slotMinutes: "119", pinnedStart: "11:00" });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("This slot runs past the end of the panel at 12:00pm");
    expect(html).toContain('value="119"');
    expect(
      (await t.db.selectFrom("agenda_items").select("slot_minutes").where("id", "=", item.id).executeTakeFirstOrThrow()).slot_minutes,
    ).toBe(15);
  });

  it("serves a calendar feed without a session, and keeps its secret out of the request log", async () => {
    await setUp();
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const page = await (await c.submit("/calendar", {})).text();
    const url = /http[^<"]+\/calendar\/([A-Za-z0-9_-]+)\.ics/.exec(page);
    expect(url).not.toBeNull();
    const anonymous = await fetch(`${server.url}/calendar/${url![1]}.ics`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get("content-type")).toContain("text/calendar");
    expect(await anonymous.text()).toContain("Crewe step-up/step-down panel");
    expect((await fetch(`${server.url}/calendar/not-the-secret-not-the-secret.ics`)).status).toBe(404);
    // Any other page still needs a session.
    expect((await fetch(`${server.url}/panels`, { redirect: "manual" })).status).toBe(303);
    const { loggablePath } = await import("../../app/server/app");
    expect(loggablePath(`/calendar/${url![1]}.ics`)).toBe("/calendar/[secret].ics");
  });

  it("lets an administrator download any kept invite from the mailbox", async () => {
    await setUp();
    const invite = await t.db.selectFrom("outbox").select("id").where("kind", "=", "panel_invite").executeTakeFirstOrThrow();
    const admin = new HttpClient(server.url);
    await admin.signIn("admin@example.org", DEMO_PASSWORD);
    const file = await admin.get(`/dev/mailbox/${invite.id}/invite.ics`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toContain("method=REQUEST");
    expect(await file.text()).toContain("BEGIN:VCALENDAR");
    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    expect((await chair.get(`/dev/mailbox/${invite.id}/invite.ics`)).status).toBe(403);
  });

  it("exports the challenge register as CSV for managers only", async () => {
    await setUp();
    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const csv = await chair.get("/challenges/register.csv");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect((await csv.text()).split("\n")[0]).toContain("case_reference");
    const partner = new HttpClient(server.url);
    await partner.signIn("partner.health@example.org", DEMO_PASSWORD);
    expect((await partner.get("/challenges/register.csv")).status).toBe(403);
  });
});
