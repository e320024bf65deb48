import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { currentCode } from "../../app/services/second-factor.server";
import { listAuditEvents } from "../../db/queries/audit";
import { browserAvailable, expectAccessible } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";

describe.skipIf(!browserAvailable)("two-factor sign-in in a real browser", () => {
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const suite = useBrowserSuite({ clock });
  // A passkey belongs to a host name, and browsers refuse an IP address: the browser uses localhost.
  const site = () => suite.url.replace("127.0.0.1", "localhost");

  async function passwordStep(page: Page, email: string) {
    await page.goto(`${site()}/sign-in`);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  it("an administrator requires it for team managers; a chair sets up an app, saves recovery codes, and signs in with a code", async () => {
    const admin = await (await suite.browser.newContext()).newPage();
    await passwordStep(admin, "admin@example.org");
    await admin.getByRole("link", { name: "Security" }).first().click();
    await expectAccessible(admin);
    await admin.getByLabel("Team manager").check();
    await admin.getByRole("button", { name: "Save" }).click();
    await admin.getByText("Sign-in security saved").waitFor();
    await admin.context().close();

    const chair = await (await suite.browser.newContext()).newPage();
    await passwordStep(chair, "chair.crewe@example.org");
    await chair.waitForURL(/\/sign-in\/set-up-two-factor/);
    await expectAccessible(chair);
    // Nothing else opens until it is done.
    await chair.goto(`${site()}/panels`);
    expect(new URL(chair.url()).pathname).toBe("/sign-in/set-up-two-factor");
    const key = (await chair.locator("#manual-key").innerText()).replace(/\s/g, "");
    await chair.getByLabel("Enter the 6-digit code the app now shows").fill("123 456");
    await chair.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    await chair.getByRole("link", { name: /The code is not right/ }).waitFor();
    await chair.getByLabel("Enter the 6-digit code the app now shows").fill(currentCode(key, clock.now()));
    await chair.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    await chair.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
    await expectAccessible(chair);
    await chair.locator(".app-recovery-codes code").nth(9).waitFor();
    expect(await chair.locator(".app-recovery-codes code").count()).toBe(10);
    await chair.getByRole("link", { name: "I have saved my recovery codes" }).click();
    await chair.getByRole("button", { name: "Sign out", exact: true }).waitFor();
    await chair.getByRole("button", { name: "Sign out", exact: true }).click();
    await chair.waitForURL(/\/sign-in$/);

    clock.advance(60_000);
    await passwordStep(chair, "chair.crewe@example.org");
    await chair.waitForURL(/\/sign-in\/two-factor/);
    await expectAccessible(chair);
    await chair.getByLabel("Security code").fill(currentCode(key, clock.now()));
    await chair.getByRole("button", { name: "Continue" }).click();
    await chair.getByRole("button", { name: "Sign out", exact: true }).waitFor();
    await chair.context().close();
  });

  it("a partner adds a passkey, then signs in with it in Chromium's virtual authenticator", async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });

    await passwordStep(page, "volunteer@example.org");
    await page.getByRole("button", { name: "Sign out", exact: true }).waitFor();
    await page.getByRole("link", { name: "Your account" }).click();
    await page.getByRole("link", { name: "Set up two-factor authentication" }).click();
    await expectAccessible(page);
    await page.getByLabel("Name for this passkey (optional)").fill("Office laptop");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    // The first second factor comes with its recovery codes.
    await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
    await page.getByRole("link", { name: "I have saved my recovery codes" }).click();
    await page.getByRole("cell", { name: "Office laptop", exact: true }).waitFor();
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL(/\/sign-in$/);

    await passwordStep(page, "volunteer@example.org");
    await page.waitForURL(/\/sign-in\/two-factor/);
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    await page.getByRole("button", { name: "Sign out", exact: true }).waitFor();
    const used = await listAuditEvents(suite.db, { action: "sign_in.succeeded" });
    expect(used.some((row) => (row.detail as { factor?: string }).factor === "passkey")).toBe(true);
    await context.close();
  });
});
