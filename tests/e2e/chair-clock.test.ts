import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, expectAccessible } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";
import { backends } from "../support/database";
import { startDemoPanelLive } from "../support/live";

/**
 * The chairing page for ten-minute slots, at 1280×800: after each move the
 * item under discussion comes first with its timer and its decision form on
 * the first screen, focus on its heading; a typical decision with one action
 * takes eight interactions.
 */
describe.skipIf(!browserAvailable).each(backends)("the chair's page for ten-minute slots (%s)", (backend) => {
  const suite = useBrowserSuite({ demo: true, backend });

  const onItem = (page: Page) =>
    page.waitForFunction(() => document.querySelector("#current-item-heading")?.textContent?.includes(":"), undefined, { timeout: 10_000 });
  /** Where the decision form starts on the page (not the window), and how tall the page is. */
  const layout = (page: Page) =>
    page.evaluate(() => {
      const form = document.querySelector('input[name="outcome"]')?.closest("fieldset");
      return {
        formTop: form ? Math.round(form.getBoundingClientRect().top + window.scrollY) : Infinity,
        height: document.documentElement.scrollHeight,
        focused: document.activeElement?.id ?? "",
        heading: document.querySelector("#current-item-heading")?.textContent ?? "",
      };
    });

  it("shows the item under discussion first, timed, with its form on the first screen, and a typical decision takes eight interactions", async () => {
    const panel = await startDemoPanelLive(suite.db);
    const chair = await suite.as("chair.crewe@example.org");
    await chair.setViewportSize({ width: 1280, height: 800 });
    await chair.goto(`${suite.url}/panels/${panel.id}/meeting`);
    // The chair records who is in the room before the first item, as at any panel.
    const attendance = chair.locator("form").filter({ has: chair.getByRole("button", { name: "Save attendance" }) });
    for (const group of await attendance.getByRole("group").all()) await group.getByLabel("Present in person").check();
    await attendance.getByRole("button", { name: "Save attendance" }).click();
    await chair.getByText("Attendance saved.").waitFor();
    await chair.getByRole("button", { name: "Start the first item" }).click();
    await onItem(chair);

    const seen: Array<{ formTop: number; height: number; focused: string; heading: string }> = [];
    /** The item under discussion: focus on its heading, its timer running, its decision form on the first screen, the rest folded below. */
    const checkCurrentItem = async () => {
      await chair.waitForFunction(() => document.activeElement?.id === "current-item-heading", undefined, { timeout: 10_000 });
      const now = await layout(chair);
      seen.push(now);
      expect(now.formTop, `the decision form on ${now.heading} starts within the first 800 px`).toBeLessThan(800);
      await chair
        .locator(".app-item-timer")
        .getByText(/^\d+ of \d+ minutes$/)
        .waitFor();
      expect(await chair.locator("#all-items").isVisible()).toBe(true);
      return now;
    };
    const first = await checkCurrentItem();
    expect(first.heading, "the demo panel opens with a step up").toMatch(/step up/);
    await expectAccessible(chair);

    // A typical decision: outcome, reasons, risk holder, lead practitioner, and one action. Each line is one interaction.
    let interactions = 0;
    const act = async (step: Promise<unknown>) => {
      await step;
      interactions++;
    };
    await act(chair.getByLabel("Step up agreed").check());
    await act(chair.getByLabel("Reasons", { exact: true }).fill("Neglect concerns meet the threshold for an assessment"));
    await act(chair.getByLabel("Who holds the risk").selectOption({ label: "Chris Crewe, Children's Social Care" }));
    await act(chair.getByLabel("Lead practitioner (required for a step down)").selectOption({ index: 1 }));
    await act(chair.getByRole("button", { name: "Record the decision" }).click());
    await chair.getByText("Decision recorded.").waitFor();
    await act(chair.getByLabel("What needs to be done").fill("Allocate a social worker for the assessment"));
    await act(chair.getByLabel("Owner", { exact: true }).selectOption({ label: "Chris Crewe, Children's Social Care" }));
    await act(chair.getByRole("button", { name: "Add the action" }).click());
    await chair.getByText("Action added.").waitFor();
    const recorded = await suite.db
      .selectFrom("actions")
      .innerJoin("agenda_items", "agenda_items.id", "actions.agenda_item_id")
      .select(["actions.due_date"])
      .where("agenda_items.panel_id", "=", panel.id)
      .execute();
    expect(recorded).toHaveLength(1);

    // "Next item" brings the next child's item to the top the same way, with nothing typed for the last one carried over.
    for (let moves = 1; moves < Math.min(3, panel.total); moves++) {
      const before = seen[seen.length - 1]!.heading;
      await chair.getByRole("button", { name: "Next item", exact: true }).click();
      await chair.waitForFunction((h) => document.querySelector("#current-item-heading")?.textContent !== h, before);
      const now = await checkCurrentItem();
      expect(now.heading).not.toBe(before);
      expect(await chair.getByLabel("Reasons", { exact: true }).inputValue()).toBe("");
    }
    console.log(
      `chairing at 1280x800 (${backend}): decision form starts at ${seen.map((s) => s.formTop).join(", ")} px; page ${seen
        .map((s) => s.height)
        .join(", ")} px tall for one item; a typical decision with one action took ${interactions} interactions`,
    );
    expect(interactions).toBeLessThanOrEqual(8);
  });
});
