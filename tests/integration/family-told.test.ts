import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { seedDemoSchedules } from "../../app/seed/demo-panels";
import { recordDecision, viewCase } from "../../app/services/cases.server";
import { decideItem, startMeeting } from "../../app/services/meeting.server";
import { runPanelHousekeeping } from "../../app/services/panel-lifecycle.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor } from "../support/factories";
import { HttpClient } from "../support/http-client";
import { decisionForm } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

/**
 * Telling the family: whoever decided (a manager for the area) or the lead
 * practitioner the decision named records how, when and by whom the family
 * was told, and what they said; the case page says whether it has happened.
 */
describe.each(backends)("what the family was told (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });
  const deps = () => ({ db: t.db, clock });

  async function decidedCase() {
    await seedDemoUsers(t.db);
    await seedDemoSchedules(t.db, clock.now());
    await runPanelHousekeeping(deps());
    const area = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const submitted = await submitCompleteRequest(deps(), referrer, "step_up", area.id, {
      child: { firstName: "Fern", lastName: "Finch", dobDay: "2", dobMonth: "5", dobYear: "2014" },
    });
    return { area, submitted };
  }

  /** The chair agrees the step up from the case page. */
  async function decideOnCasePage(submitted: { reference: string; requestId: number }) {
    const chairUser = await loadDemoUser(t.db, "chair.crewe@example.org");
    const { case: c } = await viewCase(deps(), actorFor(chairUser), submitted.reference);
    await recordDecision(deps(), actorFor(chairUser), submitted.reference, {
      requestId: submitted.requestId,
      version: c.version,
      outcome: "step_up_agreed",
      reasons: "Neglect concerns meet the threshold",
      riskHolderChoice: { name: "Sam Social", role: "social worker", agency: "Children's Social Care" },
    });
  }

  const form = (over: Record<string, string> = {}) => ({
    method: "visit",
    toldDay: "23",
    toldMonth: "11",
    toldYear: "2026",
    toldBy: "Sam Social, social worker, Children's Social Care",
    response: "Mum was relieved and agreed to the assessment.",
    ...over,
  });

  it("lets the chair record it, keeps what was typed when it will not do, and says so on the case page", async () => {
    const { submitted } = await decidedCase();
    await decideOnCasePage(submitted);

    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const before = await (await chair.get(`/cases/${submitted.reference}`)).text();
    expect(before).toContain("Nobody has recorded telling the family of this decision yet.");
    const page = `/cases/${submitted.reference}/family`;
    const blank = await (await chair.get(page)).text();
    expect(blank).toContain("What the family was told");
    expect(blank).toContain("Chris Crewe");

    // No method, a date in the future: both said beside their fields, the rest kept.
    const bad = await chair.post(page, { csrf: await chair.csrfFrom(page), ...form({ method: "", toldDay: "30" }) });
    expect(bad.status).toBe(422);
    const badPage = await bad.text();
    expect(badPage).toContain("Select how the family was told");
    expect(badPage).toMatch(/must be today or in the past/);
    expect(badPage).toContain("Mum was relieved and agreed to the assessment.");
    // A date before the decision will not do either.
    const early = await chair.post(page, { csrf: await chair.csrfFrom(page), ...form({ toldDay: "20" }) });
    expect(early.status).toBe(422);
    expect(await early.text()).toContain("The date the family was told must be on or after the decision");
    expect(await t.db.selectFrom("family_told").select("id").execute()).toHaveLength(0);

    const good = await chair.post(page, { csrf: await chair.csrfFrom(page), ...form() });
    expect(good.status).toBe(302);
    const after = await (await chair.get(`${page}?done=recorded`)).text();
    expect(after).toContain("Recorded: how the family was told.");
    expect(after).toContain("A home visit, by Sam Social, social worker, Children&#x27;s Social Care.");
    expect(after).toContain("Mum was relieved and agreed to the assessment.");
    const casePage = await (await chair.get(`/cases/${submitted.reference}`)).text();
    expect(casePage).toContain("The family was told: A home visit, 23 November 2026, by Sam Social");

    const audit = await t.db
      .selectFrom("audit_events")
      .select(["action", "record_id"])
      .where("action", "in", ["case.family_told_recorded", "case.family_told_viewed"])
      .execute();
    expect(audit.filter((a) => a.action === "case.family_told_recorded")).toEqual([
      { action: "case.family_told_recorded", record_id: submitted.reference },
    ]);
    expect(audit.filter((a) => a.action === "case.family_told_viewed").length).toBeGreaterThanOrEqual(2);
  });

  it("lets the lead practitioner the panel named record it, and not the person who asked", async () => {
    const { submitted } = await decidedCase();
    const chairUser = await loadDemoUser(t.db, "chair.crewe@example.org");
    const hana = await loadDemoUser(t.db, "partner.health@example.org");
    const panelId = submitted.panelId!;
    const version = async () =>
      (await t.db.selectFrom("panels").select("version").where("id", "=", panelId).executeTakeFirstOrThrow()).version;
    await startMeeting(deps(), actorFor(chairUser), panelId, { version: await version(), earlyReason: "Held early" });
    const item = await t.db
      .selectFrom("agenda_items")
      .select(["id", "case_id"])
      .where("request_id", "=", submitted.requestId)
      .executeTakeFirstOrThrow();
    const caseVersion = (await t.db.selectFrom("cases").select("version").where("id", "=", item.case_id).executeTakeFirstOrThrow()).version;
    await decideItem(
      deps(),
      actorFor(chairUser),
      panelId,
      decisionForm("2026-11-23", item.id, caseVersion, { leadPractitioner: String(hana.id) }),
    );

    const page = `/cases/${submitted.reference}/family`;
    const rita = new HttpClient(server.url);
    await rita.signIn("referrer@example.org", DEMO_PASSWORD);
    const seen = await (await rita.get(page)).text();
    expect(seen).not.toContain('name="method"');
    const refused = await rita.post(page, { csrf: await rita.csrfFrom(page), ...form() });
    expect(refused.status).toBe(403);

    const lead = new HttpClient(server.url);
    await lead.signIn("partner.health@example.org", DEMO_PASSWORD);
    expect(await (await lead.get(page)).text()).toContain('name="method"');
    const recorded = await lead.post(page, {
      csrf: await lead.csrfFrom(page),
      ...form({ method: "phone", toldBy: "Hana Health, health visitor" }),
    });
    expect(recorded.status).toBe(302);
    const rows = await t.db.selectFrom("family_told").select(["method", "told_on", "told_by", "recorded_by_user_id"]).execute();
    expect(rows).toEqual([
      { method: "phone", told_on: "2026-11-23", told_by: "Hana Health, health visitor", recorded_by_user_id: hana.id },
    ]);
  });

  it("starts the letter from the administrator's wording, has someone else review it, then prints it and keeps it with the case", async () => {
    const { submitted } = await decidedCase();
    await decideOnCasePage(submitted);

    // The administrator's wording: a word the letter cannot fill is refused, what was typed kept.
    const admin = new HttpClient(server.url);
    await admin.signIn("admin@example.org", DEMO_PASSWORD);
    const wording = "/admin/letters/step_up_agreed";
    const typo = "Dear {parent}, a social worker will help {child}. {writer}";
    const refused = await admin.post(wording, { csrf: await admin.csrfFrom(wording), outcome: "step_up_agreed", body: typo });
    expect(refused.status).toBe(422);
    const refusedPage = await refused.text();
    expect(refusedPage).toContain("{parent} cannot be filled in");
    expect(refusedPage).toContain("Dear {parent}, a social worker will help {child}.");
    const own =
      "Dear parent or carer,\n\nThe panel in {area} agreed on {decisionDate} that a social worker will now help {child}.\n\n{writer}";
    expect((await admin.post(wording, { csrf: await admin.csrfFrom(wording), outcome: "step_up_agreed", body: own })).status).toBe(302);
    expect(await (await admin.get("/admin/letters?saved=step_up_agreed")).text()).toContain("Wording saved for “Step up agreed”.");

    // The chair starts from it with the case's details in, changes it and saves it for review.
    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const page = `/cases/${submitted.reference}/letter`;
    const started = await (await chair.get(page)).text();
    expect(started).toContain("The panel in Crewe agreed on 23 November 2026 that a social worker will now help Fern Finch.");
    expect(started).toContain("Chris Crewe, Children&#x27;s Social Care");
    const empty = await chair.post(page, { csrf: await chair.csrfFrom(page), intent: "save", body: "  " });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Enter the letter");
    const letter =
      "Dear parent or carer,\n\nThe panel agreed that a social worker will now help Fern Finch. Sam will visit on Monday.\n\nChris Crewe";
    expect((await chair.post(page, { csrf: await chair.csrfFrom(page), intent: "save", body: letter })).status).toBe(302);

    // Not printable until reviewed, and not by its own writer.
    expect((await chair.get(`${page}/print`)).status).toBe(404);
    expect(await (await chair.get(page)).text()).not.toContain("The letter is ready to print");
    const selfReview = await chair.post(page, { csrf: await chair.csrfFrom(page), intent: "review" });
    expect(selfReview.status).toBe(422);
    expect(await selfReview.text()).toContain("Someone other than the letter&#x27;s writer reviews it");
    const rita = new HttpClient(server.url);
    await rita.signIn("referrer@example.org", DEMO_PASSWORD);
    expect((await rita.post(page, { csrf: await rita.csrfFrom(page), intent: "review" })).status).toBe(403);

    const erin = new HttpClient(server.url);
    await erin.signIn("earlyhelp.manager@example.org", DEMO_PASSWORD);
    expect(await (await erin.get(page)).text()).toContain("The letter is ready to print");
    expect((await erin.post(page, { csrf: await erin.csrfFrom(page), intent: "review" })).status).toBe(302);
    const printed = await chair.get(`${page}/print`);
    expect(printed.status).toBe(200);
    const printPage = await printed.text();
    expect(printPage).toContain("Sam will visit on Monday.");
    expect(printPage).toContain("family-letter--print");

    // Once reviewed it is kept as printed.
    const late = await chair.post(page, { csrf: await chair.csrfFrom(page), intent: "save", body: "Something else" });
    expect(late.status).toBe(422);
    expect(await late.text()).toContain("kept as it was printed");
    const kept = await t.db.selectFrom("family_letters").select(["body", "reviewed_by_user_id"]).execute();
    expect(kept).toHaveLength(1);
    expect(kept[0].body).toBe(letter);
    const subjectAccess = await (await chair.get(`/cases/${submitted.reference}/subject-access`)).text();
    expect(subjectAccess).toContain("Letters to the family (1)");
    expect(subjectAccess).toContain("Sam will visit on Monday.");
    const audit = await t.db
      .selectFrom("audit_events")
      .select("action")
      .where("action", "in", ["case.letter_written", "case.letter_reviewed"])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(["case.letter_reviewed", "case.letter_written"]);
    const mail = JSON.stringify(await t.db.selectFrom("outbox").select(["subject", "text_body", "html_body"]).execute());
    expect(mail).not.toContain("Finch");
  });
});
