import { describe, expect, it } from "vitest";
import { browserAvailable, expectAccessible } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";
import { backends } from "../support/database";

/**
 * After a decision, in the browser: the chair records that the family was
 * told, writes the family's letter from the outcome's wording, another
 * manager reviews it, and it prints on A4 with nothing but the letter; the
 * receiving manager then names the lead practitioner and their supervisor.
 */
describe.skipIf(!browserAvailable).each(backends)("telling the family (%s)", (backend) => {
  const suite = useBrowserSuite({ demo: true, backend });

  it("records how the family was told, writes, reviews and prints their letter, then names the lead practitioner and supervisor", async () => {
    const decided = await suite.db
      .selectFrom("decisions")
      .innerJoin("cases", "cases.id", "decisions.case_id")
      .innerJoin("areas", "areas.id", "cases.area_id")
      .select(["cases.reference", "cases.child_first_name", "cases.child_last_name"])
      .where("areas.name", "=", "Crewe")
      .where("decisions.superseded_by_decision_id", "is", null)
      .where("decisions.outcome", "=", "step_down_agreed_early_help")
      .orderBy("decisions.decided_at", "desc")
      .executeTakeFirstOrThrow();
    const chair = await suite.as("chair.crewe@example.org");
    await chair.goto(`${suite.url}/cases/${decided.reference}`);
    await chair.getByText("Nobody has recorded telling the family of this decision yet.").waitFor();
    await chair.getByRole("link", { name: "What the family was told" }).click();
    await chair.getByRole("heading", { name: "What the family was told" }).waitFor();

    // Saved with nothing chosen: the message sits beside the question, the rest kept.
    await chair.getByLabel("What the family said (optional)").fill("Dad asked who the new worker will be.");
    await chair.getByRole("button", { name: "Save" }).click();
    await chair.getByRole("link", { name: "Select how the family was told" }).waitFor();
    expect(await chair.getByLabel("What the family said (optional)").inputValue()).toBe("Dad asked who the new worker will be.");
    await expectAccessible(chair);
    await chair.getByLabel("A home visit").check();
    await chair.getByLabel("Who told them?").fill("Sam Social, social worker");
    await chair.getByRole("button", { name: "Save" }).click();
    await chair.getByText("Recorded: how the family was told.").waitFor();
    await chair.getByText("A home visit, by Sam Social, social worker.").waitFor();

    // The letter starts from the step down's wording with the child's name in it.
    await chair.getByRole("link", { name: "The letter to the family" }).click();
    const letter = chair.getByLabel("The letter");
    const draft = await letter.inputValue();
    expect(draft).toContain(`${decided.child_first_name} ${decided.child_last_name}`);
    expect(draft).toContain("the Early Help service will support you");
    await expectAccessible(chair);
    await letter.fill(`${draft}\n\nP.S. Your new worker will ring you on Tuesday.`);
    await chair.getByRole("button", { name: "Save the letter for review" }).click();
    await chair.getByText("Letter saved.").waitFor();
    await chair.getByText(/Waiting for a manager for the area who did not write it/).waitFor();
    expect(await chair.getByRole("button", { name: "The letter is ready to print" }).count()).toBe(0);

    const erin = await suite.as("earlyhelp.manager@example.org");
    await erin.goto(`${suite.url}/cases/${decided.reference}/letter`);
    await erin.getByText("P.S. Your new worker will ring you on Tuesday.").first().waitFor();
    await erin.getByRole("button", { name: "The letter is ready to print" }).click();
    await erin.getByText("Letter reviewed: it can now be printed.").waitFor();
    await erin.getByRole("link", { name: "Open the letter to print it" }).click();
    await erin.getByText("P.S. Your new worker will ring you on Tuesday.").waitFor();
    await expectAccessible(erin);
    // Printed, only the letter shows: no service header, navigation or instructions.
    await erin.emulateMedia({ media: "print" });
    expect(await erin.locator(".govuk-header").isVisible()).toBe(false);
    expect(await erin.getByText(/Print this page from your browser/).isVisible()).toBe(false);
    expect(await erin.getByText("P.S. Your new worker will ring you on Tuesday.").isVisible()).toBe(true);
    const pdf = await erin.pdf({ format: "A4" });
    expect(pdf.byteLength).toBeGreaterThan(1000);
    await erin.emulateMedia({ media: "screen" });

    // The receiving manager names the lead practitioner: a health visitor, so a supervisor oversees the case.
    const hana = await suite.db
      .selectFrom("users")
      .select(["id", "name"])
      .where("email", "=", "partner.health@example.org")
      .executeTakeFirstOrThrow();
    await erin.goto(`${suite.url}/cases/${decided.reference}`);
    await erin.getByRole("link", { name: "The lead practitioner" }).click();
    await erin.getByRole("heading", { name: "Name the lead practitioner" }).waitFor();
    await erin.getByLabel("Who is the lead practitioner?").selectOption(String(hana.id));
    await erin.getByRole("button", { name: "Save" }).click();
    await erin.getByRole("link", { name: /Choose the supervisor/ }).waitFor();
    expect(await erin.getByLabel("Who is the lead practitioner?").inputValue()).toBe(String(hana.id));
    await expectAccessible(erin);
    await erin.getByLabel("Who supervises the lead practitioner?").selectOption("other");
    await erin.getByLabel("Supervisor's full name (only for someone else)").fill("Holly Leader");
    await erin.getByLabel("Supervisor's role").fill("health visiting team leader");
    await erin.getByLabel("Supervisor's agency or team").fill("Community health");
    await erin.getByRole("button", { name: "Save" }).click();
    await erin.getByText("Named: the lead practitioner.").waitFor();
    await erin.goto(`${suite.url}/cases/${decided.reference}`);
    await erin
      .getByText(new RegExp(`${hana.name}, .*, supervised by Holly Leader, health visiting team leader, Community health`))
      .waitFor();
  });
});
