import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";
import { startDemoPanelLive } from "../support/live";

/**
 * A busy chair types for one child, then moves on: nothing typed for that
 * child may be left in the next child's decision form.
 */
describe.skipIf(!browserAvailable)("the chairing page's forms belong to one item each", () => {
  const suite = useBrowserSuite({ demo: true });

  const heading = (page: Page) => page.locator("#current-item-heading").textContent();
  const waitForItem = (page: Page, reference: string) =>
    page.waitForFunction((ref) => document.querySelector("#current-item-heading")?.textContent?.startsWith(`${ref}:`), reference);

  async function typeDecision(page: Page, words: string) {
    await page.getByLabel("Discussion summary (optional)").fill(`Discussion: ${words}`);
    await page.getByLabel("Reasons").fill(`Reasons: ${words}`);
    await page.getByLabel("Who holds the risk").selectOption({ label: "Chris Crewe, Children's Social Care" });
    await page.getByLabel("Lead practitioner (required for a step down)").selectOption({ value: "other" });
    await page.getByLabel("Lead practitioner's full name (only for someone else)").fill(`Lead for ${words}`);
    await page.locator("#transferDay").fill("14");
    await page.locator("#transferMonth").fill("1");
    await page.locator("#transferYear").fill("2027");
  }

  async function expectNothingOf(page: Page, words: string) {
    expect(await page.getByLabel("Discussion summary (optional)").inputValue()).toBe("");
    expect(await page.getByLabel("Reasons").inputValue()).toBe("");
    expect(await page.getByLabel("Who holds the risk").inputValue()).toBe("");
    expect(await page.getByLabel("Lead practitioner's full name (only for someone else)").inputValue()).not.toContain(words);
    // The transfer date starts at the hand-over deadline (five working days after the panel), never at the date typed before.
    expect(await page.locator("#transferMonth").inputValue()).not.toBe("1");
    expect(await page.locator("#transferYear").inputValue()).not.toBe("2027");
  }

  it("after Skip or Next item the next child's decision form is empty; a stale form is refused for its own item and keeps what was typed", async () => {
    const panel = await startDemoPanelLive(suite.db);
    const [first, second, third] = panel.references;
    const chair = await suite.as("chair.crewe@example.org");
    await chair.goto(`${suite.url}/panels/${panel.id}/meeting`);
    await chair.getByRole("button", { name: "Start the first item" }).click();
    await waitForItem(chair, first!);

    // Typed for the first child, then skipped: the second child's form is empty.
    await typeDecision(chair, `case ${first}`);
    await chair.getByRole("button", { name: "Skip for now" }).click();
    await waitForItem(chair, second!);
    await expectNothingOf(chair, `case ${first}`);

    // A second tab is left open on the second child's form while the chair moves on in the first.
    const stale = await chair.context().newPage();
    await stale.goto(`${suite.url}/panels/${panel.id}/meeting`);
    await waitForItem(stale, second!);
    await stale.getByLabel("Not agreed: stays where it is").check();
    await stale.getByLabel("Reasons").fill(`Reasons: case ${second}`);
    await stale.getByLabel("Who holds the risk").selectOption({ label: "Chris Crewe, Children's Social Care" });

    // Typed for the second child, then Next item: the third child's form is empty.
    await typeDecision(chair, `case ${second}`);
    await chair.getByRole("button", { name: "Next item", exact: true }).click();
    await waitForItem(chair, third!);
    await expectNothingOf(chair, `case ${second}`);

    // The stale form is sent: refused, nothing recorded, still the second child's with what was typed.
    await stale.getByRole("button", { name: "Record the decision" }).click();
    await stale.locator(".govuk-error-summary").waitFor();
    expect(await stale.locator(".govuk-error-summary").textContent()).toContain(
      `Case ${third} is under discussion, so nothing was recorded for case ${second}`,
    );
    expect(await heading(stale)).toContain(`${second}:`);
    expect(await stale.getByLabel("Reasons").inputValue()).toBe(`Reasons: case ${second}`);
    const decided = await suite.db
      .selectFrom("decisions")
      .innerJoin("cases", "cases.id", "decisions.case_id")
      .select("cases.reference")
      .where("decisions.panel_id", "=", panel.id)
      .execute();
    expect(decided).toEqual([]);

    // Only the decisions the item can take are offered, and the fields no chosen outcome needs fold away.
    const lead = chair.getByLabel("Lead practitioner (required for a step down)");
    expect(await lead.isVisible()).toBe(true);
    await chair.getByLabel("Not agreed: stays where it is").check();
    await expect.poll(() => lead.isVisible()).toBe(false);
    expect(await chair.locator("#transferDay").isVisible()).toBe(false);
    const outcomes = await chair.locator('input[name="outcome"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(outcomes.includes("step_up_agreed") !== outcomes.includes("step_down_agreed_early_help")).toBe(true);
    await chair.locator('input[name="outcome"]').first().check();
    await expect.poll(() => lead.isVisible()).toBe(true);
    await chair.context().close();
  });
});
