import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { validate } from "../../app/lib/validation";
import { scheduleSchema } from "../../app/forms/panel";
import { startMeeting } from "../../app/services/meeting.server";
import { insightDashboard } from "../../app/services/insight.server";
import { answerChairsQuestion, sortRequest } from "../../app/services/triage.server";
import { saveSchedule } from "../../app/services/panel-schedules.server";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { backends, useTestDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { parsed, scheduleForm } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

/** The chair sorts requests before the panel: lists one, asks its requester a question, closes one with advice. */
describe.each(backends)("sorting requests before the panel (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });
  const deps = () => ({ db: t.db, clock, settings: { appUrl: "https://threshold.example.org" } });

  /** Crewe's schedule chaired by Chris Crewe, and two step ups and a step down on the 9 December panel. */
  async function setUp() {
    clock.set("2026-11-23T09:00:00Z");
    await seedDemoUsers(t.db);
    const admin = await loadDemoUser(t.db, "admin@example.org");
    const chair = await loadDemoUser(t.db, "chair.crewe@example.org");
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const crewe = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    await saveSchedule(
      deps(),
      { user: admin, ip: null },
      crewe.id,
      parsed(validate(scheduleSchema("2026-11-23"), scheduleForm({ chairUserId: String(chair.id) }))),
    );
    const asked = await submitCompleteRequest(deps(), referrer, "step_up", crewe.id);
    const closedUp = await submitCompleteRequest(deps(), referrer, "step_up", crewe.id);
    const closedDown = await submitCompleteRequest(deps(), referrer, "step_down", crewe.id);
    const kept = await submitCompleteRequest(deps(), referrer, "step_up", crewe.id);
    const panel = (await t.db.selectFrom("panels").selectAll().where("area_id", "=", crewe.id).orderBy("starts_at").execute())[1];
    const items = await t.db.selectFrom("agenda_items").selectAll().where("panel_id", "=", panel.id).orderBy("position").execute();
    const itemOf = (r: { requestId: number }) => items.find((i) => i.request_id === r.requestId)!;
    return { panel, chair, referrer, asked, closedUp, closedDown, kept, itemOf };
  }

  const panelVersion = async (id: number) =>
    String((await t.db.selectFrom("panels").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version);
  const mail = (kind: string) =>
    t.db.selectFrom("outbox").select(["recipient", "subject", "text_body", "html_body"]).where("kind", "=", kind).orderBy("id").execute();

  it("counts in insight the requests returned before the panel and how long their answers took", async () => {
    const { panel, asked, kept, itemOf, referrer, chair } = await setUp();
    const manager = await loadDemoUser(t.db, "service.manager@example.org");
    const returned = async () => {
      const dashboard = await insightDashboard(deps(), { user: manager, ip: null }, { from: "2026-11", to: "2026-11", area: 0, agency: 0 });
      return dashboard.sections.flatMap((s) => s.figures).find((f) => f.id === "returned-before-panel")!.rows[0];
    };
    expect(await returned()).toEqual([0, 0, 0, "–", "–"]);
    for (const request of [asked, kept]) {
      await sortRequest(deps(), { user: chair, ip: null }, panel.id, {
        version: Number(await panelVersion(panel.id)),
        itemId: itemOf(request).id,
        choice: "ask",
        question: "Has the family agreed to a Team Around the Family meeting?",
        advice: undefined,
      });
    }
    // One answer 30 hours later; the other still waits.
    clock.set("2026-11-24T15:00:00Z");
    await answerChairsQuestion(deps(), { user: referrer, ip: null }, asked.requestId, { answer: "Yes, on 2 December." });
    expect(await returned()).toEqual([2, 1, 1, 30, 30]);
  });

  it("asks a requester a question: the item leaves the agenda, the requester answers in Threshold, and the request is listed again", async () => {
    const { panel, asked, kept, itemOf, referrer, chair } = await setUp();
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const agenda = await (await c.get(`/panels/${panel.id}`)).text();
    expect(agenda).toContain("4 of 4 requests to sort");
    const itemPath = `/panels/${panel.id}/items/${itemOf(asked).id}`;
    const csrf = await c.csrfFrom(itemPath);

    // Asking with no question: the field says so, the choice is kept, nothing changes.
    const empty = await c.post(itemPath, { csrf, intent: "sort", version: await panelVersion(panel.id), choice: "ask", question: "" });
    expect(empty.status).toBe(422);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toContain("Enter your question for the requester");
    expect(emptyHtml).toMatch(/<input(?=[^>]*value="ask")(?=[^>]*checked)[^>]*>/);
    expect(await t.db.selectFrom("request_questions").select("id").execute()).toEqual([]);

    const question = "Has the school seen the family since October half term?";
    const sent = await c.post(itemPath, { csrf, intent: "sort", version: await panelVersion(panel.id), choice: "ask", question });
    expect(sent.status).toBe(302);
    expect(sent.headers.get("location")).toBe(`/panels/${panel.id}?done=asked`);
    const after = await (await c.get(`/panels/${panel.id}`)).text();
    expect(after).not.toContain(`id="item-${itemOf(asked).id}"`);
    expect(after).toContain("3 of 3 requests to sort");
    const status = await t.db.selectFrom("agenda_items").select("status").where("id", "=", itemOf(asked).id).executeTakeFirstOrThrow();
    expect(status.status).toBe("returned");
    // The requester is told there is a question, by reference only: the question stays behind sign-in.
    const [email] = await mail("request_question");
    expect(email.recipient).toBe(referrer.email);
    expect(email.subject).toBe(`Threshold: a question about your request for case ${asked.reference}`);
    expect(`${email.text_body}${email.html_body}`).not.toContain("half term");
    expect(`${email.text_body}`).toContain(`/requests/${asked.requestId}/answer`);

    // Only the requester reads and answers it.
    const partner = new HttpClient(server.url);
    await partner.signIn("partner.health@example.org", DEMO_PASSWORD);
    expect((await partner.get(`/requests/${asked.requestId}/answer`)).status).toBe(404);
    const rita = new HttpClient(server.url);
    await rita.signIn("referrer@example.org", DEMO_PASSWORD);
    const submissions = await (await rita.get("/submissions")).text();
    expect(submissions).toContain(`href="/requests/${asked.requestId}/answer"`);
    const answerPath = `/requests/${asked.requestId}/answer`;
    const page = await (await rita.get(answerPath)).text();
    expect(page).toContain(question);
    const ritaCsrf = await rita.csrfFrom(answerPath);
    const blank = await rita.post(answerPath, { csrf: ritaCsrf, answer: " " });
    expect(blank.status).toBe(422);
    expect(await blank.text()).toContain("Enter your answer to the chair&#x27;s question");
    const answered = await rita.post(answerPath, { csrf: ritaCsrf, answer: "Yes: seen twice, attendance 82%" });
    expect(answered.status).toBe(302);
    expect(answered.headers.get("location")).toBe(`${answerPath}?listed=2026-12-09`);
    expect(await (await rita.get(answered.headers.get("location")!)).text()).toContain("listed for the panel on 9 December 2026");
    const twice = await rita.post(answerPath, { csrf: ritaCsrf, answer: "Again" });
    expect(twice.status).toBe(422);

    // Listed again on the panel whose cut-off allows, the question and answer beside the item for the chair.
    const relisted = await t.db
      .selectFrom("agenda_items")
      .select(["id", "panel_id", "status"])
      .where("request_id", "=", asked.requestId)
      .where("status", "=", "listed")
      .executeTakeFirstOrThrow();
    expect(relisted.panel_id).toBe(panel.id);
    const [told] = await mail("request_question_answered");
    expect(told.recipient).toBe(chair.email);
    expect(told.subject).not.toContain("attendance");
    const item = await (await c.get(`/panels/${panel.id}/items/${relisted.id}`)).text();
    expect(item).toContain(question);
    expect(item).toContain("Yes: seen twice, attendance 82%");

    // Listing one takes it off the list to sort.
    const listed = await c.post(`/panels/${panel.id}/items/${itemOf(kept).id}`, {
      csrf,
      intent: "sort",
      version: await panelVersion(panel.id),
      choice: "list",
    });
    expect(listed.status).toBe(302);
    expect(await (await c.get(`/panels/${panel.id}`)).text()).toContain("3 of 4 requests to sort");
    const audit = (await t.db.selectFrom("audit_events").select("action").execute()).map((a) => a.action);
    for (const action of ["request.information_requested", "request.question_viewed", "request.information_given", "request.sorted"]) {
      expect(audit).toContain(action);
    }
  });

  it("closes a step up with advice as signposted and a step down as not agreed, the requester told the outcome by reference", async () => {
    const { panel, closedUp, closedDown, itemOf, referrer } = await setUp();
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const csrf = await c.csrfFrom(`/panels/${panel.id}`);
    for (const request of [closedUp, closedDown]) {
      const path = `/panels/${panel.id}/items/${itemOf(request).id}`;
      const noAdvice = await c.post(path, { csrf, intent: "sort", version: await panelVersion(panel.id), choice: "close" });
      expect(noAdvice.status).toBe(422);
      expect(await noAdvice.text()).toContain("Enter the advice for the requester");
      const closed = await c.post(path, {
        csrf,
        intent: "sort",
        version: await panelVersion(panel.id),
        choice: "close",
        advice: "Universal services through the school nurse meet these needs",
      });
      expect(closed.status).toBe(302);
    }
    const decisions = await t.db
      .selectFrom("decisions")
      .select(["request_id", "outcome", "reasons", "risk_holder"])
      .orderBy("id")
      .execute();
    expect(decisions).toEqual([
      {
        request_id: closedUp.requestId,
        outcome: "signposted",
        reasons: "Universal services through the school nurse meet these needs",
        risk_holder: expect.stringContaining(referrer.name),
      },
      {
        request_id: closedDown.requestId,
        outcome: "not_agreed",
        reasons: "Universal services through the school nurse meet these needs",
        risk_holder: expect.stringContaining(referrer.name),
      },
    ]);
    const cases = await t.db
      .selectFrom("cases")
      .select(["reference", "status"])
      .where("reference", "in", [closedUp.reference, closedDown.reference])
      .orderBy("reference")
      .execute();
    expect(Object.fromEntries(cases.map((x) => [x.reference, x.status]))).toEqual({
      [closedUp.reference]: "early_help",
      [closedDown.reference]: "social_care",
    });
    const told = await mail("decision_recorded");
    expect(told.map((m) => m.recipient)).toEqual([referrer.email, referrer.email]);
    expect(JSON.stringify(told)).not.toContain("school nurse");
  });

  it("refuses sorting once the meeting sits, and refuses it to a partner", async () => {
    const { panel, kept, itemOf, chair } = await setUp();
    const partner = new HttpClient(server.url);
    await partner.signIn("partner.health@example.org", DEMO_PASSWORD);
    const path = `/panels/${panel.id}/items/${itemOf(kept).id}`;
    const notChair = await partner.post(path, {
      csrf: await partner.csrfFrom("/"),
      intent: "sort",
      version: await panelVersion(panel.id),
      choice: "list",
    });
    expect([403, 404]).toContain(notChair.status);
    clock.set("2026-12-09T09:58:00Z");
    await startMeeting(deps(), { user: chair, ip: null }, panel.id, { version: Number(await panelVersion(panel.id)) });
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const late = await c.post(path, { csrf: await c.csrfFrom("/"), intent: "sort", version: await panelVersion(panel.id), choice: "list" });
    expect(late.status).toBe(422);
    expect(await late.text()).toContain("Requests are sorted before the meeting starts");
    expect(
      (await t.db.selectFrom("agenda_items").select("sorted_at").where("id", "=", itemOf(kept).id).executeTakeFirstOrThrow()).sorted_at,
    ).toBeNull();
  });
});
