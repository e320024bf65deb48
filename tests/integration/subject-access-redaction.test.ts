import { describe, expect, it } from "vitest";
import { listAuditEvents } from "../../db/queries/audit";
import { fixedClock } from "../../app/lib/clock";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { backends, useTestDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

describe.each(backends)("withholding other people's details from a subject-access copy (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });

  async function reviewer() {
    await seedDemoUsers(t.db);
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const { reference } = await submitCompleteRequest({ db: t.db, clock }, referrer, "step_up", referrer.areaId!);
    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    return { reference, chair };
  }

  it("leaves the marked details out of the copy, says where, marks it OFFICIAL-SENSITIVE, and keeps the record whole", async () => {
    const { reference, chair } = await reviewer();
    const review = await (await chair.get(`/cases/${reference}/subject-access`)).text();
    expect(review).toContain("OFFICIAL-SENSITIVE");
    // Each typed detail has its own tick; the child's own details have none.
    const ticks = [...review.matchAll(/name="withhold" type="checkbox"[^>]*value="([^"]+)"/g)].map((m) => m[1]);
    expect(ticks.length).toBeGreaterThan(3);
    expect(ticks.filter((f) => f.startsWith("case."))).toEqual(["case.0.siblings"]);
    expect(review).toContain("Escalating neglect despite the plan");

    // The reviewer withholds the request's concerns (the third answer).
    const request = ticks.filter((f) => f.startsWith("request."));
    const csrf = await chair.csrfFrom(`/cases/${reference}/subject-access`);
    const saved = await chair.post(`/cases/${reference}/subject-access`, [
      ["csrf", csrf],
      ["withhold", request[2]],
    ]);
    expect(saved.status).toBe(302);
    const after = await (await chair.get(saved.headers.get("location")!)).text();
    expect(after).toContain("1 detail is withheld from the copy.");
    expect(after).toContain("Withheld from the copy");
    // The reviewer still reads the record in full, with the tick kept.
    expect(after).toContain("Escalating neglect despite the plan");
    const tick = after.match(new RegExp(`<input[^>]*value="${request[2].replace(/\./g, "\\.")}"[^>]*>`));
    expect(tick?.[0]).toContain('checked=""');

    const copy = await (await chair.get(`/cases/${reference}/subject-access/copy`)).text();
    expect(copy).toContain("OFFICIAL-SENSITIVE");
    expect(copy).toContain("One detail has been withheld because it is about another person");
    expect(copy).toContain("[Withheld: information about another person]");
    // Withheld means not sent at all: neither in the page nor in the data it carries.
    expect(copy).not.toContain("Escalating neglect");
    expect(copy).toContain("TAF meetings, parenting programme");
    expect(copy).not.toContain('name="withhold"');

    // The record is untouched: the case page still shows the answer.
    expect(await (await chair.get(`/cases/${reference}`)).text()).toContain("Escalating neglect despite the plan");
    const [marked] = await listAuditEvents(t.db, { action: "case.subject_access_withheld" });
    expect(marked.record_id).toBe(reference);
    const exports = await listAuditEvents(t.db, { action: "case.subject_access_exported" });
    expect(exports.map((e) => (e.detail as { copy?: boolean }).copy)).toContain(true);

    // Unticking everything restores the copy.
    await chair.post(`/cases/${reference}/subject-access`, [["csrf", csrf]]);
    expect(await (await chair.get(`/cases/${reference}/subject-access/copy`)).text()).toContain("Escalating neglect despite the plan");
  });

  it("refuses marks that are not details of a record, and people who may not see the case", async () => {
    const { reference, chair } = await reviewer();
    const csrf = await chair.csrfFrom(`/cases/${reference}/subject-access`);
    const bad = await chair.post(`/cases/${reference}/subject-access`, [
      ["csrf", csrf],
      ["withhold", "<script>"],
    ]);
    expect(bad.status).toBe(400);
    expect(await t.db.selectFrom("subject_access_withheld").selectAll().execute()).toHaveLength(0);

    const otherArea = new HttpClient(server.url);
    await otherArea.signIn("chair.macclesfield@example.org", DEMO_PASSWORD);
    expect((await otherArea.get(`/cases/${reference}/subject-access/copy`)).status).toBe(404);
    const referrer = new HttpClient(server.url);
    await referrer.signIn("referrer@example.org", DEMO_PASSWORD);
    expect((await referrer.get(`/cases/${reference}/subject-access/copy`)).status).toBe(403);
  });
});
