import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { browserAvailable, expectAccessible, signInAs } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";

describe.skipIf(!browserAvailable)("signing in with a real browser", () => {
  const suite = useBrowserSuite();

  it("shows an accessible sign-in page, with the error summary after a wrong password", async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${suite.url}/`);
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 15_000 }).toBe("/sign-in");
    await expect.poll(() => page.title(), { timeout: 15_000 }).toBe("Sign in – Threshold");
    await expectAccessible(page);

    await page.getByLabel("Email address").fill("referrer@example.org");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("There is a problem").waitFor();
    expect(await page.getByRole("link", { name: "Email or password is incorrect" }).count()).toBe(1);
    expect(await page.getByLabel("Email address").inputValue()).toBe("referrer@example.org");
    await expect.poll(() => page.title(), { timeout: 15_000 }).toBe("Error: Sign in – Threshold");
    await expectAccessible(page);
    await context.close();
  });

  it("signs a professional in to an accessible home page and out again", async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await signInAs(page, suite.url, "referrer@example.org", DEMO_PASSWORD);
    await page.getByRole("heading", { name: "Welcome, Rita Referrer" }).waitFor();
    // From the keyboard, the first Tab after signing in reaches the skip link, then the navigation.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Skip to main content");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.closest("header, .govuk-service-navigation") !== null)).toBe(true);
    expect(await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Home" }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Users" }).count()).toBe(0);
    await expectAccessible(page);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await page.goto(`${suite.url}/`);
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 15_000 }).toBe("/sign-in");
    await context.close();
  });

  it("lets an administrator add a user, keeping what was typed when a field is wrong", async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await signInAs(page, suite.url, "admin@example.org", DEMO_PASSWORD);
    await page.getByRole("link", { name: "Users" }).first().click();
    await page.getByRole("button", { name: "Add a user" }).click();
    await page.getByLabel("Full name").fill("Sol School Nurse");
    await page.getByLabel("Email address").fill("sol@example");
    await page.getByLabel("Partner").check();
    await page.getByRole("button", { name: "Add user" }).click();
    await page.getByText("There is a problem").waitFor();
    expect(await page.getByLabel("Full name").inputValue()).toBe("Sol School Nurse");
    await expectAccessible(page);

    await page.getByLabel("Email address").fill("sol@example.org");
    await page.getByLabel("Agency").selectOption({ label: "Community Health Services" });
    await page.getByRole("button", { name: "Add user" }).click();
    await page.getByText("User added.").waitFor();
    expect(await page.getByRole("link", { name: "Sol School Nurse" }).count()).toBe(1);
    await expectAccessible(page);
    await context.close();
  });
});
