import { describe, expect, it } from "vitest";
import { browserAvailable, expectAccessible } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";

/** An auditor filters the trail by days typed as GOV.UK date inputs, in the browser. */
describe.skipIf(!browserAvailable)("the audit trail's days (embedded)", () => {
  const suite = useBrowserSuite();

  it("asks the days as day, month and year, names a wrong one beside its field and keeps what was typed", async () => {
    const auditor = await suite.as("auditor@example.org");
    await auditor.goto(`${suite.url}/audit`);
    const from = auditor.getByRole("group", { name: "From (first day)" });
    await from.getByLabel("Day").fill("31");
    await from.getByLabel("Month").fill("2");
    await from.getByLabel("Year").fill("2026");
    await auditor.getByRole("button", { name: "Apply filters" }).click();
    await auditor.getByRole("link", { name: "The first day must be a real date" }).waitFor();
    expect(await from.getByLabel("Month").inputValue()).toBe("2");
    await expectAccessible(auditor);
    // The link in the summary takes the auditor to the day.
    await auditor.getByRole("link", { name: "The first day must be a real date" }).click();
    await expect.poll(() => auditor.evaluate(() => document.activeElement?.id)).toBe("fromDay");

    const today = new Date();
    await from.getByLabel("Day").fill(String(today.getUTCDate()));
    await from.getByLabel("Month").fill(String(today.getUTCMonth() + 1));
    await from.getByLabel("Year").fill(String(today.getUTCFullYear()));
    await auditor.getByRole("button", { name: "Apply filters" }).click();
    // The wrong day's address also carried fromDay, so wait for the page drawn for this day:
    // its CSV link carries the same day, and the auditor's own sign-in today is on the trail.
    const csv = auditor.getByRole("link", { name: "Download as CSV" });
    await expect.poll(() => csv.getAttribute("href")).toMatch(/^\/audit\.csv\?from=\d{4}-\d{2}-\d{2}$/);
    await auditor.getByRole("cell", { name: "sign_in.succeeded" }).first().waitFor();
  });
});
