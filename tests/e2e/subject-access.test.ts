import { describe, expect, it } from "vitest";
import { browserAvailable, expectAccessible } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";
import { backends } from "../support/database";
import { pdfPages } from "../support/pdf";

/**
 * A subject access request in the browser: the manager reads the record,
 * withholds a detail about another person, and prints the family's copy,
 * which leaves it out and is marked and numbered on every page.
 */
describe.skipIf(!browserAvailable).each(backends)("a subject-access copy (%s)", (backend) => {
  const suite = useBrowserSuite({ demo: true, backend });

  it("is reviewed, redacted and printed on marked, numbered pages, with the record left whole", async () => {
    const decided = await suite.db
      .selectFrom("decisions")
      .innerJoin("cases", "cases.id", "decisions.case_id")
      .innerJoin("areas", "areas.id", "cases.area_id")
      .select(["cases.reference", "decisions.reasons"])
      .where("areas.name", "=", "Crewe")
      .where("decisions.superseded_by_decision_id", "is", null)
      .orderBy("decisions.decided_at", "desc")
      .executeTakeFirstOrThrow();
    const chair = await suite.as("chair.crewe@example.org");
    await chair.goto(`${suite.url}/cases/${decided.reference}`);
    await chair.getByRole("link", { name: /subject access/i }).click();
    await chair.getByRole("heading", { name: `Everything held about case ${decided.reference}` }).waitFor();
    expect(await chair.getByText(decided.reasons).first().isVisible()).toBe(true);
    await expectAccessible(chair);

    // The reasons are recorded in the decision, the minutes and the case history:
    // withheld once, they are withheld wherever the same words appear.
    await chair
      .getByLabel(/^Withhold Reasons, Decisions/)
      .first()
      .check();
    await chair.getByRole("button", { name: "Save what is withheld" }).click();
    const banner = await chair.getByText(/details are withheld from the copy/).textContent();
    const ticked = Number(banner?.match(/(\d+) details/)?.[1]);
    expect(ticked).toBeGreaterThan(2);
    expect(await chair.getByText("Withheld from the copy", { exact: true }).count()).toBe(ticked);

    await chair.getByRole("link", { name: "Produce the copy for the family" }).click();
    await chair.getByRole("heading", { name: `Information we hold: case ${decided.reference}` }).waitFor();
    await expectAccessible(chair);
    expect(await chair.getByText("[Withheld: information about another person]").count()).toBe(ticked);
    expect(await chair.content()).not.toContain(decided.reasons);

    await chair.emulateMedia({ media: "print" });
    expect(await chair.locator(".govuk-header").isVisible()).toBe(false);
    const pages = pdfPages(await chair.pdf({ format: "A4", preferCSSPageSize: true }));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((text, i) => {
      expect(text).toContain("OFFICIAL-SENSITIVE");
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(text).not.toContain(decided.reasons.slice(0, 40));
    });
    expect(pages.join("\n")).toContain("Withheld: information about another person");

    // The record itself still holds the reasons.
    await chair.emulateMedia({ media: "screen" });
    await chair.goto(`${suite.url}/cases/${decided.reference}`);
    expect(await chair.getByText(decided.reasons).first().isVisible()).toBe(true);
  });
});
