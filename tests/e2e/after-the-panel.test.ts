import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { fixedClock, systemClock } from "../../app/lib/clock";
import { ukDate } from "../../app/lib/dates";
import { workingDaysAfter } from "../../app/lib/working-days";
import { loadDemoUser } from "../../app/seed/demo";
import { sendActionNotices } from "../../app/services/actions.server";
import { decideItem } from "../../app/services/meeting.server";
import { browserAvailable, expectAccessible } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";
import { backends } from "../support/database";
import { startDemoPanelLive } from "../support/live";
import { parsed } from "../support/panels";
import { itemDecisionSchema } from "../../app/forms/panel";
import { validate } from "../../app/lib/validation";

/**
 * After the panel, in the browser: a step down is agreed with the request's
 * proposed team as lead, so the receiving manager must name a person. The
 * requester's email says the outcome in words and nothing about the child;
 * the naming clock runs out and the manager is emailed; she names the lead from
 * her actions; the review finds the family declined, and insight's figures for
 * step downs that did not hold count it.
 */
describe.skipIf(!browserAvailable).each(backends)("after the panel (%s)", (backend) => {
  const suite = useBrowserSuite({ demo: true, backend });

  const declinedCount = async (page: Page) => {
    const table = page.locator("table", { has: page.locator("caption", { hasText: "After a step down: how families engaged" }) });
    const row = table.locator("tr", { hasText: "Declined the support" });
    return Number((await row.locator("td").first().textContent())?.trim());
  };

  it("tells the requester in words, chases a late naming, names the lead from My actions and counts a declined step down", async () => {
    const db = suite.db;
    const panel = await startDemoPanelLive(db);
    const chairUser = await loadDemoUser(db, "chair.crewe@example.org");
    const erinUser = await loadDemoUser(db, "earlyhelp.manager@example.org");
    const item = await db
      .selectFrom("agenda_items")
      .innerJoin("requests", "requests.id", "agenda_items.request_id")
      .innerJoin("cases", "cases.id", "agenda_items.case_id")
      .select([
        "agenda_items.id",
        "cases.id as case_id",
        "cases.reference",
        "cases.version",
        "cases.child_first_name",
        "cases.child_last_name",
        "requests.submitted_by_user_id",
      ])
      .where("agenda_items.panel_id", "=", panel.id)
      .where("requests.kind", "=", "step_down")
      .where("agenda_items.status", "=", "listed")
      .executeTakeFirstOrThrow();
    const today = ukDate(systemClock.now());
    const transfer = workingDaysAfter(today, 5).split("-");
    await decideItem(
      { db, clock: systemClock },
      { user: chairUser, ip: null },
      panel.id,
      parsed(
        validate(itemDecisionSchema(today), {
          itemId: String(item.id),
          caseVersion: String(item.version),
          outcome: "step_down_agreed_early_help",
          reasons: "The plan is working and the family wants support from early help",
          riskHolder: String(erinUser.id),
          leadPractitioner: "proposed",
          leadPractitionerProposed: "Early Help Team, locality hub",
          transferDay: transfer[2]!,
          transferMonth: transfer[1]!,
          transferYear: transfer[0]!,
        }),
      ),
    );

    // The requester's email, in the kept mailbox: the outcome in words, by reference only.
    const requester = await db.selectFrom("users").select("email").where("id", "=", item.submitted_by_user_id).executeTakeFirstOrThrow();
    const admin = await suite.as("admin@example.org");
    await admin.goto(`${suite.url}/dev/mailbox`);
    const told = admin.locator("tr", { hasText: requester.email }).filter({ hasText: item.reference });
    await told.first().getByRole("link").click();
    await admin.getByText("Step down to early help agreed.").waitFor();
    await admin.getByText("The lead practitioner and the transfer date are on Threshold.").waitFor();
    const body = await admin.locator("main").textContent();
    expect(body).not.toContain(item.child_first_name!);
    expect(body).not.toContain(item.child_last_name!);

    // Two working days on, the lead is still not named: Erin is emailed that it is overdue.
    await sendActionNotices({ db, clock: fixedClock(`${workingDaysAfter(today, 2)}T08:00:00Z`) });
    const notice = await db
      .selectFrom("outbox")
      .select(["id", "subject"])
      .where("recipient", "=", erinUser.email)
      .where("kind", "like", "action_%")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(notice.subject).toMatch(/overdue/);
    await admin.goto(`${suite.url}/dev/mailbox/${notice.id}`);
    await admin.getByText(`Name the lead practitioner for case ${item.reference}`, { exact: false }).first().waitFor();

    // From her actions she names the lead practitioner, with a supervisor: the action is then done.
    const erin = await suite.as("earlyhelp.manager@example.org");
    await erin.goto(`${suite.url}/actions`);
    await erin.getByRole("link", { name: `Name the lead practitioner for case ${item.reference}` }).click();
    await erin.getByText("The panel accepted: Early Help Team, locality hub").waitFor();
    await erin.getByLabel("Who is the lead practitioner?").selectOption("other");
    await erin.getByLabel("Lead practitioner's full name (only for someone else)").fill("Pat Parker");
    await erin.getByLabel("Lead practitioner's role").fill("family support worker");
    await erin.getByLabel("Lead practitioner's agency or team").fill("Early Help, locality hub");
    await erin.getByLabel("Who supervises the lead practitioner?").selectOption(String(erinUser.id));
    await erin.getByRole("button", { name: "Save" }).click();
    await erin.getByText("Named: the lead practitioner. The action to name them is done.").waitFor();
    await expectAccessible(erin);
    await erin.goto(`${suite.url}/actions`);
    expect(await erin.getByRole("link", { name: `Name the lead practitioner for case ${item.reference}` }).count()).toBe(0);

    // The review: the family declined. Insight's step-down figures count it.
    const manager = await suite.as("service.manager@example.org");
    await manager.goto(`${suite.url}/insight`);
    const before = await declinedCount(manager);
    await erin.goto(`${suite.url}/cases/${item.reference}/review`);
    await erin.getByLabel("Declined the support").check();
    const [y, m, d] = today.split("-");
    await erin.locator("#reviewedDay").fill(String(Number(d)));
    await erin.locator("#reviewedMonth").fill(String(Number(m)));
    await erin.locator("#reviewedYear").fill(y!);
    await erin.getByLabel("What did the review find?").fill("Mum said they did not want another worker");
    await erin.getByRole("button", { name: "Save the review" }).click();
    await erin.getByText("Mum said they did not want another worker").first().waitFor();
    await manager.goto(`${suite.url}/insight`);
    expect(await declinedCount(manager)).toBe(before + 1);
  });
});
