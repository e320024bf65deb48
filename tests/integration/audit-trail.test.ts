import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "../../domain/audit";
import { insertAuditEvent } from "../../db/queries/audit";
import { listAuditEvents } from "../../db/queries/audit";
import { fixedClock } from "../../app/lib/clock";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { backends, useTestDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

/** The entries the page lists (not its filter options). */
function tableOf(html: string) {
  return html.slice(html.indexOf("<tbody"), html.indexOf("</tbody>"));
}

describe.each(backends)("the audit trail (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });

  async function aCaseInCrewe() {
    await seedDemoUsers(t.db);
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    return submitCompleteRequest({ db: t.db, clock }, referrer, "step_up", referrer.areaId!);
  }

  it("records a refused record (404 and 403) with who, which path, from where and the request", async () => {
    const { reference } = await aCaseInCrewe();
    const c = new HttpClient(server.url);
    await c.signIn("chair.macclesfield@example.org", DEMO_PASSWORD);
    const refused = await c.get(`/cases/${reference}`);
    expect(refused.status).toBe(404);
    expect((await c.get("/admin/users")).status).toBe(403);
    const rows = await listAuditEvents(t.db, { action: "access.refused" });
    const chair = await loadDemoUser(t.db, "chair.macclesfield@example.org");
    expect(rows.map((r) => [r.record_id, (r.detail as { status: number }).status])).toEqual(
      expect.arrayContaining([
        [`/cases/${reference}`, 404],
        ["/admin/users", 403],
      ]),
    );
    const row = rows.find((r) => r.record_id === `/cases/${reference}`)!;
    expect(row.actor_user_id).toBe(chair.id);
    expect(row.ip).toBe("127.0.0.1");
    expect((row.detail as { requestId: string }).requestId).toBe(refused.headers.get("x-request-id"));
  });

  it("gives every row written while answering a request that request's id, reads included", async () => {
    const { reference } = await aCaseInCrewe();
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    for (const path of ["/", `/cases/${reference}`, "/awaiting-panel", "/actions", "/challenges", "/panels"]) {
      expect((await c.get(path)).status, path).toBe(200);
    }
    const referrer = new HttpClient(server.url);
    await referrer.signIn("referrer@example.org", DEMO_PASSWORD);
    expect((await referrer.get("/submissions")).status).toBe(200);
    const written = await t.db.selectFrom("audit_events").select(["action", "detail"]).where("actor_user_id", "is not", null).execute();
    const actions = written.map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(["sign_in.succeeded", "case.viewed", "case.awaiting_panel_viewed", "case.submissions_viewed"]),
    );
    // The request sent through the services directly (the seed) has none; every row the web server wrote has one.
    const fromPages = written.filter(
      (r) => r.action !== "request.submitted" && r.action !== "request.draft_started" && r.action !== "request.draft_saved",
    );
    for (const row of fromPages) expect((row.detail as { requestId?: string }).requestId, row.action).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("has one shape for every action: the auditor's page and CSV read a row of each", async () => {
    const { reference } = await aCaseInCrewe();
    const chair = await loadDemoUser(t.db, "chair.crewe@example.org");
    // A census return first, through the page that once wrote a count where a list belongs.
    const manager = new HttpClient(server.url);
    await manager.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    expect((await manager.get("/insight/census-return.csv")).status).toBe(200);
    for (const action of AUDIT_ACTIONS) {
      await insertAuditEvent(t.db, {
        at: clock.now(),
        actorUserId: chair.id,
        action,
        recordType: "case",
        recordId: reference,
        ip: "127.0.0.1",
        detail: { cases: [reference], note: action },
      });
    }
    const auditor = new HttpClient(server.url);
    await auditor.signIn("auditor@example.org", DEMO_PASSWORD);
    const page = await auditor.get("/audit");
    expect(page.status).toBe(200);
    const csv = await auditor.get("/audit.csv");
    expect(csv.status).toBe(200);
    const text = await csv.text();
    for (const action of AUDIT_ACTIONS) expect(text, action).toContain(action);
    expect(text).toContain("insight.census_return_exported");
    const byCase = await auditor.get(`/audit?reference=${reference}`);
    expect(byCase.status).toBe(200);
    expect(tableOf(await byCase.text())).toContain("case.viewed");
  });

  it("records listing pages and exports as reads of the cases they show", async () => {
    const { reference } = await aCaseInCrewe();
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    expect((await c.get("/awaiting-panel")).status).toBe(200);
    const [queue] = await listAuditEvents(t.db, { action: "case.awaiting_panel_viewed" });
    expect((queue.detail as { cases: string[] }).cases).toEqual([reference]);
    expect((await c.get("/challenges/register.csv")).status).toBe(200);
    expect(await listAuditEvents(t.db, { action: "challenge.register_exported" })).toHaveLength(1);
    expect(await listAuditEvents(t.db, { action: "challenge.register_viewed" })).toHaveLength(0);
  });

  it("lets an auditor, and only an auditor, filter the trail by person, case, action and dates, and export it", async () => {
    const { reference } = await aCaseInCrewe();
    const chairBrowser = new HttpClient(server.url);
    await chairBrowser.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    await chairBrowser.get(`/cases/${reference}`);
    await chairBrowser.get("/awaiting-panel");

    const admin = new HttpClient(server.url);
    await admin.signIn("admin@example.org", DEMO_PASSWORD);
    expect((await admin.get("/audit")).status).toBe(403);
    expect((await admin.get("/audit.csv")).status).toBe(403);

    const auditor = new HttpClient(server.url);
    await auditor.signIn("auditor@example.org", DEMO_PASSWORD);
    const home = await (await auditor.get("/")).text();
    expect(home).toContain('href="/audit"');
    expect(home).not.toContain('href="/panels"');
    const chair = await loadDemoUser(t.db, "chair.crewe@example.org");
    const page = tableOf(await (await auditor.get(`/audit?person=${chair.id}&reference=${reference.toLowerCase()}`)).text());
    expect(page).toContain("case.viewed");
    expect(page).toContain("case.awaiting_panel_viewed");
    expect(page).not.toContain("sign_in.succeeded");
    expect(page).not.toContain("request.submitted");

    const byAction = tableOf(await (await auditor.get("/audit?action=sign_in.succeeded&from=2026-11-23&to=2026-11-23")).text());
    expect(byAction).toContain("Chris Crewe");
    const dayBefore = await (await auditor.get("/audit?action=sign_in.succeeded&from=2026-11-22&to=2026-11-22")).text();
    expect(dayBefore).toContain("0 entries");

    // The days as people type them (GOV.UK date inputs); the ISO form above still works for links.
    const typed = await (
      await auditor.get("/audit?action=sign_in.succeeded&fromDay=23&fromMonth=11&fromYear=2026&toDay=23&toMonth=11&toYear=2026")
    ).text();
    expect(tableOf(typed)).toContain("Chris Crewe");
    expect(typed).toContain(`href="/audit.csv?action=sign_in.succeeded&amp;from=2026-11-23&amp;to=2026-11-23"`);
    expect(byAction).not.toContain("0 entries");
    expect(await (await auditor.get("/audit?from=2026-11-23")).text()).toMatch(/name="fromDay"[^>]*value="23"/);

    const bad = await auditor.get("/audit?fromDay=31&fromMonth=2&fromYear=2026&toDay=1&toMonth=11");
    expect(bad.status).toBe(200);
    const badPage = await bad.text();
    expect(badPage).toContain("The first day must be a real date");
    expect(badPage).toContain("The last day must include a year");
    expect(badPage).toContain('href="#fromDay"');
    expect(badPage).toMatch(/name="fromMonth"[^>]*value="2"/);
    const legacy = await (await auditor.get("/audit?from=yesterday")).text();
    expect(legacy).toContain("Enter the first day as a date");
    expect(legacy).toContain('href="#fromDay"');
    const backwards = await (await auditor.get("/audit?fromDay=2&fromMonth=11&fromYear=2026&toDay=1&toMonth=11&toYear=2026")).text();
    expect(backwards).toContain("The last day must be on or after the first day");

    const csv = await auditor.get(`/audit.csv?reference=${reference}`);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\n");
    expect(lines[0]).toBe("seq,at,person,email,action,record_type,record_id,ip,request_id,cases,detail");
    expect(lines.some((l) => l.includes("case.viewed") && l.includes("Chris Crewe"))).toBe(true);
    // Reading the trail is itself on the trail.
    expect(await listAuditEvents(t.db, { action: "audit.viewed" })).not.toHaveLength(0);
    expect(await listAuditEvents(t.db, { action: "audit.exported" })).toHaveLength(1);
  });

  it("gives a manager who may see the case everything held about the child as one document, audited, and nobody else", async () => {
    const { reference } = await aCaseInCrewe();
    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const casePage = await (await chair.get(`/cases/${reference}`)).text();
    expect(casePage).toContain(`/cases/${reference}/subject-access`);
    const response = await chair.get(`/cases/${reference}/subject-access`);
    expect(response.status).toBe(200);
    const page = await response.text();
    for (const text of [
      `Everything held about case ${reference}`,
      "Jamie Example",
      "1 Test Street, Crewe",
      "Step-up request by Rita Referrer",
      // Who saw the case, in words rather than the trail's codes.
      "Case: viewed",
    ]) {
      expect(page).toContain(text);
    }
    expect(page).not.toContain("case.viewed");
    const [exported] = await listAuditEvents(t.db, { action: "case.subject_access_exported" });
    expect(exported.record_id).toBe(reference);

    const otherArea = new HttpClient(server.url);
    await otherArea.signIn("chair.macclesfield@example.org", DEMO_PASSWORD);
    expect((await otherArea.get(`/cases/${reference}/subject-access`)).status).toBe(404);
    const referrer = new HttpClient(server.url);
    await referrer.signIn("referrer@example.org", DEMO_PASSWORD);
    expect((await referrer.get(`/cases/${reference}/subject-access`)).status).toBe(403);
  });
});
