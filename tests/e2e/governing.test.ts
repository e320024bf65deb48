import { describe, expect, it } from "vitest";
import { loadDemoUser } from "../../app/seed/demo";
import { browserAvailable, expectAccessible } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";
import { backends } from "../support/database";
import { startDemoPanelLive } from "../support/live";

/**
 * Governing the meeting in the browser: a partner declares an interest in the
 * one item she is invited to and the chair sees it there; with only the chair
 * in the room the panel is not quorate, and the chair records why it goes
 * ahead; the core members present approve the last panel's minutes, which are
 * then marked approved and offered for approval no more.
 */
describe.skipIf(!browserAvailable).each(backends)("governing the meeting (%s)", (backend) => {
  const suite = useBrowserSuite({ demo: true, backend });

  it("records a declaration beside its item, why an inquorate panel went ahead, and the approval of the last minutes", async () => {
    const panel = await startDemoPanelLive(suite.db);
    const meeting = `${suite.url}/panels/${panel.id}/meeting`;

    // The health partner, invited for the third item only, declares an interest in it.
    const hana = await suite.as("partner.health@example.org");
    await hana.goto(`${suite.url}/panels/${panel.id}/declare`);
    const offered = hana.getByRole("radio");
    expect(await offered.count()).toBe(1);
    await hana.getByRole("button", { name: "Declare the interest" }).click();
    await hana.locator(".govuk-error-summary").waitFor();
    await expectAccessible(hana);
    await offered.check();
    await hana.getByLabel("What is your interest?").fill("The child's mother is my neighbour");
    await hana.getByRole("button", { name: "Declare the interest" }).click();
    await hana.waitForURL(/done=declared/);
    await hana.goto(`${suite.url}/panels/${panel.id}/declare`);
    await hana.getByText(/You have declared an interest in .*The child's mother is my neighbour/).waitFor();

    // Only the chair is in the room: not quorate.
    const chair = await suite.as("chair.crewe@example.org");
    const chairUser = await loadDemoUser(suite.db, "chair.crewe@example.org");
    const attendees = await suite.db.selectFrom("panel_attendees").select(["id", "user_id"]).where("panel_id", "=", panel.id).execute();
    await chair.goto(meeting);
    for (const a of attendees) {
      await chair.locator(`input[name="attendance-${a.id}"][value="${a.user_id === chairUser.id ? "in_person" : "apologies"}"]`).check();
    }
    await chair.getByRole("button", { name: "Save attendance" }).click();
    await chair.getByText("Attendance saved.").waitFor();
    await chair.getByText(/Not quorate: this panel needs/).waitFor();

    // Each gap takes its reason; saved empty, the message sits beside the box.
    const gaps = chair.locator("summary", { hasText: /^Go ahead without/ });
    const first = (await gaps.first().textContent())!.trim();
    await gaps.first().click();
    await chair.getByRole("button", { name: "Record the reason" }).first().click();
    await chair.locator(".govuk-error-summary").waitFor();
    await expectAccessible(chair);
    let recorded = 0;
    while ((await gaps.count()) > 0 && recorded < 6) {
      const what = (await gaps.first().textContent())!.trim().replace(/^Go ahead without /, "");
      if (!(await chair.getByLabel(`Why does the panel go ahead without ${what}?`).isVisible())) await gaps.first().click();
      await chair.getByLabel(`Why does the panel go ahead without ${what}?`).fill(`Written views were sent for each item (${what})`);
      await chair.getByRole("button", { name: "Record the reason" }).first().click();
      await chair.getByText(`Written views were sent for each item (${what})`).first().waitFor();
      recorded++;
    }
    expect(first).toMatch(/^Go ahead without/);
    expect(recorded).toBeGreaterThan(0);
    expect(await chair.getByText(/Not quorate: this panel needs/).count()).toBe(0);

    // First, the last panel's minutes: approved by the core members present, with an amendment.
    await chair.getByRole("heading", { name: "First: the minutes of the last panel" }).waitFor();
    const minutesLink = chair.getByRole("link", { name: /^Minutes of the panel on/ });
    const minutesHref = (await minutesLink.getAttribute("href"))!;
    await chair.getByLabel("Amendments agreed (optional)").fill("Item 1: the risk holder is a team manager");
    await chair.getByRole("button", { name: "The core members present approve the minutes" }).click();
    await chair.getByRole("heading", { name: "First: the minutes of the last panel" }).waitFor({ state: "detached" });
    await chair.goto(`${suite.url}${minutesHref}`);
    await chair.getByText(/Approved at the panel on .* by the core members present: /).waitFor();
    await chair.getByText("Amendments agreed: Item 1: the risk holder is a team manager").waitFor();
    await expectAccessible(chair);

    // At the third item the chair sees the declaration, and that the declarant takes no part.
    const third = panel.references[2]!;
    await chair.goto(meeting);
    await chair.getByRole("button", { name: "Start the first item" }).click();
    await chair.locator("#current-item-heading").waitFor();
    for (let i = 0; i < 2; i++) {
      const heading = (await chair.locator("#current-item-heading").textContent()) ?? "";
      if (heading.startsWith(`${third}:`)) break;
      await chair.getByRole("button", { name: "Skip for now" }).click();
      await chair.waitForFunction((before) => document.querySelector("#current-item-heading")?.textContent !== before, heading);
    }
    await chair.waitForFunction((ref) => document.querySelector("#current-item-heading")?.textContent?.startsWith(`${ref}:`), third);
    await chair
      .getByText(/Interest declared: Hana .*The child's mother is my neighbour.*They take no part in this item's decision\./)
      .waitFor();
  });
});
