import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { browserAvailable, expectAccessible, signInAs } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";

describe.skipIf(!browserAvailable)("submitting a case in a real browser", () => {
  const suite = useBrowserSuite();

  async function startRequest(page: Page, kind: "Step up to children's social care" | "Step down from children's social care") {
    await page.getByRole("link", { name: "Submit a case" }).first().click();
    await page.getByLabel(kind).check();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(/\/risk$/);
  }

  async function fillChild(page: Page, firstName: string) {
    await page.getByLabel("First name").fill(firstName);
    await page.getByLabel("Last name").fill("Testchild");
    await page.getByLabel("Day").fill("4");
    await page.getByLabel("Month").fill("6");
    await page.getByLabel("Year").fill("2016");
    await page.getByLabel("Area").selectOption({ label: "Crewe" });
    await page.getByRole("button", { name: "Save and continue" }).click();
  }

  it("takes a step-up request from question pages to a case reference, keeping typed text through errors", async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await signInAs(page, suite.url, "referrer@example.org", DEMO_PASSWORD);
    await startRequest(page, "Step up to children's social care");

    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByText("Select yes if the child is at immediate risk of harm").first().waitFor();
    await page.getByLabel("No").check();
    await page.getByRole("button", { name: "Continue" }).click();
    await expectAccessible(page);

    // An impossible date: the error sits next to the field and the name stays typed.
    await page.getByLabel("First name").fill("Robin");
    await page.getByLabel("Last name").fill("Testchild");
    await page.getByLabel("Day").fill("31");
    await page.getByLabel("Month").fill("2");
    await page.getByLabel("Year").fill("2016");
    await page.getByLabel("Area").selectOption({ label: "Crewe" });
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.getByRole("link", { name: "Date of birth must be a real date" }).waitFor();
    expect(await page.getByLabel("First name").inputValue()).toBe("Robin");
    await expectAccessible(page);
    await page.getByLabel("Day").fill("28");
    await page.getByRole("button", { name: "Save and continue" }).click();

    await page.getByLabel("Early help", { exact: true }).check();
    await page.getByLabel("Lead practitioner (name and agency)").fill("Rita Referrer, Valley Primary School");
    await page.getByLabel("What are the concerns?").fill("Escalating neglect");
    // Long answers count what is left as people type (GOV.UK's character count).
    await page.getByLabel("What are the concerns?").press("!");
    await page.locator("#concerns-info").getByText("You have 4981 characters remaining").waitFor();
    await page.getByLabel("What has early help tried?").fill("TAF meetings");
    await page.getByLabel("What is the family's view?").fill("Agree help is needed");
    await page.getByLabel("Community Health Services").check();
    await page.getByRole("button", { name: "Save and continue" }).click();

    await page.getByRole("heading", { name: /Check your answers/ }).waitFor();
    expect(await page.getByText("Robin Testchild").count()).toBe(1);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Accept and send" }).click();

    await page.getByRole("heading", { name: "Step-up request sent" }).waitFor();
    const reference = (await page.locator(".govuk-panel__body strong").textContent())!;
    expect(reference).toMatch(/^TH-\d{4}-\d{6}$/);
    expect(page.url()).not.toContain("Robin");
    await expectAccessible(page);

    await page.getByRole("link", { name: "My submissions" }).first().click();
    expect(await page.getByRole("link", { name: reference }).count()).toBe(1);
    await page.getByRole("link", { name: reference }).click();
    await page.getByRole("heading", { name: `Case ${reference}` }).waitFor();
    expect(await page.getByText("Step up requested").count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await context.close();
  });

  it("takes a step-down request, refusing it without the family's consent and keeping what was typed", async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await signInAs(page, suite.url, "referrer@example.org", DEMO_PASSWORD);
    await startRequest(page, "Step down from children's social care");
    await page.getByLabel("No").check();
    await page.getByRole("button", { name: "Continue" }).click();
    await fillChild(page, "Kai");
    await page.getByLabel("Why step down, and what has changed?").fill("Plan ended; risks reduced");
    await page.getByLabel("Outcomes and goals for the family").fill("Attendance above 90%\nStable routines");
    await page.getByLabel("The Volunteer Family Support Service").check();
    await page.getByLabel("Proposed lead practitioner or service").fill("Volunteer Family Support Service, Crewe");
    await page.getByLabel("No, not given").check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.getByRole("link", { name: /the family must consent/ }).waitFor();
    expect(await page.getByLabel("Why step down, and what has changed?").inputValue()).toBe("Plan ended; risks reduced");
    await expectAccessible(page);

    await page.getByLabel("Yes, given").check();
    await page.getByLabel("Day").nth(0).fill("20");
    await page.getByLabel("Month").nth(0).fill("11");
    await page.getByLabel("Year").nth(0).fill("2026");
    await page.getByLabel("How was consent given?").fill("At a home visit");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.getByRole("heading", { name: /Check your answers/ }).waitFor();
    await page.getByRole("button", { name: "Accept and send" }).click();
    await page.getByRole("heading", { name: "Step-down request sent" }).waitFor();
    const reference = (await page.locator(".govuk-panel__body strong").textContent())!;
    await page.goto(`${suite.url}/cases/${reference}`);
    expect(await page.locator(".govuk-tag").first().textContent()).toBe("Step down requested");
    await context.close();
  });

  it("stops at the front door when the child is at immediate risk, and never queues the case", async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await signInAs(page, suite.url, "referrer@example.org", DEMO_PASSWORD);
    await startRequest(page, "Step down from children's social care");
    await page.getByLabel("Yes").check();
    await page.getByRole("button", { name: "Continue" }).click();
    // A "yes" records nothing yet: it asks what the front door needs, and can be taken back.
    await page.getByRole("heading", { name: "Tell the front door now" }).waitFor();
    await expectAccessible(page);
    await page.getByLabel("Child's first name").fill("Robin");
    await page.getByLabel("Child's last name").fill("Example");
    await page.getByLabel("Day").fill("4");
    await page.getByLabel("Month").fill("5");
    await page.getByLabel("Year").fill("2016");
    await page.getByLabel("Where the child is now").fill("At school");
    await page.getByLabel("Area").selectOption({ label: "Crewe" });
    await page.getByLabel("What is the immediate risk?").fill("Disclosed being hit at home this morning");
    await page.getByLabel("Your phone number").fill("01632 960 001");
    await page.getByRole("button", { name: "Send to the front door" }).click();
    await page.getByRole("heading", { name: "Sent to the front door: now phone them" }).waitFor();
    await expectAccessible(page);
    await context.close();

    const chair = await suite.browser.newContext();
    const chairPage = await chair.newPage();
    await signInAs(chairPage, suite.url, "chair.crewe@example.org", DEMO_PASSWORD);
    await chairPage.getByRole("link", { name: "Awaiting panel" }).first().click();
    // Only the consented step-down from the test above waits; the immediate-risk one never does.
    expect(await chairPage.getByText("Step-downs waiting: 1").count()).toBe(1);
    await chair.close();
  });

  it("lets a chair record a decision, and the requester sees the case move", async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await signInAs(page, suite.url, "referrer@example.org", DEMO_PASSWORD);
    await startRequest(page, "Step up to children's social care");
    await page.getByLabel("No").check();
    await page.getByRole("button", { name: "Continue" }).click();
    await fillChild(page, "Sky");
    await page.getByLabel("Early help", { exact: true }).check();
    await page.getByLabel("Lead practitioner (name and agency)").fill("Rita Referrer");
    await page.getByLabel("What are the concerns?").fill("c");
    await page.getByLabel("What has early help tried?").fill("t");
    await page.getByLabel("What is the family's view?").fill("f");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.getByRole("button", { name: "Accept and send" }).click();
    const reference = (await page.locator(".govuk-panel__body strong").textContent())!;

    const chair = await suite.browser.newContext();
    const chairPage = await chair.newPage();
    await signInAs(chairPage, suite.url, "chair.crewe@example.org", DEMO_PASSWORD);
    await chairPage.goto(`${suite.url}/cases/${reference}`);
    await chairPage.getByRole("button", { name: "Record decision" }).first().click();
    await chairPage.getByRole("link", { name: "Select the panel's decision" }).waitFor();
    await chairPage.getByLabel("Step up agreed").check();
    await chairPage.getByLabel("Reasons").fill("Threshold met");
    await chairPage.getByLabel("Who holds the risk").selectOption({ label: "Chris Crewe, Children's Social Care" });
    await chairPage.getByRole("button", { name: "Record decision" }).first().click();
    await chairPage.getByText("Decision recorded.").waitFor();
    await expectAccessible(chairPage);
    await chair.close();

    await page.goto(`${suite.url}/cases/${reference}`);
    expect(await page.getByText("Chris Crewe, Children's Social Care").count()).toBeGreaterThan(0);
    expect(await page.locator(".govuk-tag").first().textContent()).toBe("Children's social care");
    await context.close();
  });
});
