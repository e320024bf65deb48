import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "../../db/queries/audit";
import { fixedClock } from "../../app/lib/clock";
import { browserAvailable, expectAccessible } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";

/**
 * A real OpenID Connect provider (oidc-provider from npm, with its development
 * login pages) started beside the app: whatever is typed as the login becomes
 * the account, whose email it is, verified.
 */
async function startProvider(options: { issuerHost?: string; redirect: () => string }) {
  const server = await new Promise<Server>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://${options.issuerHost ?? "localhost"}:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "threshold",
        client_secret: "threshold-secret",
        redirect_uris: [options.redirect()],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
      {
        client_id: "early-help",
        client_secret: "early-help-secret",
        redirect_uris: [options.redirect()],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { email: ["email", "email_verified"] },
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, email: id, email_verified: true }) }),
  });
  provider.on("server_error", () => undefined);
  server.on("request", provider.callback());
  return { url: `http://localhost:${port}`, issuer, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.skipIf(!browserAvailable)("signing in with an organisation's own account (OpenID Connect)", () => {
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const suite = useBrowserSuite({ clock });
  const site = () => suite.url.replace("127.0.0.1", "localhost");
  const redirect = () => `${site()}/sign-in/organisation/callback`;
  let good: Awaited<ReturnType<typeof startProvider>>;
  let impostor: Awaited<ReturnType<typeof startProvider>>;

  beforeAll(async () => {
    good = await startProvider({ redirect });
    // Serves on localhost but calls itself by another name: discovery must refuse it.
    impostor = await startProvider({ issuerHost: "127.0.0.1", redirect });
    const configure = (name: string, values: Record<string, unknown>) =>
      suite.db.updateTable("agencies").set(values).where("name", "=", name).execute();
    await configure("Children's Social Care", {
      oidc_issuer: good.issuer,
      oidc_client_id: "threshold",
      oidc_client_secret: "threshold-secret",
      oidc_email_domains: JSON.stringify(["example.org"]),
    });
    await configure("Early Help", {
      oidc_issuer: good.issuer,
      oidc_client_id: "early-help",
      oidc_client_secret: "early-help-secret",
      oidc_email_domains: JSON.stringify(["example.org"]),
    });
    await configure("Community Health Services", {
      oidc_issuer: impostor.url,
      oidc_client_id: "threshold",
      oidc_client_secret: "threshold-secret",
      oidc_email_domains: JSON.stringify(["example.org"]),
    });
  });
  afterAll(async () => {
    await good?.close();
    await impostor?.close();
  });

  /** At the provider: its login page, then its consent page if it asks. */
  async function logInAtProvider(page: Page, email: string) {
    await page.locator('input[name="login"]').fill(email);
    await page.locator('input[name="password"]').fill("anything");
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.origin === site() || url.pathname.startsWith("/interaction/"));
    if (new URL(page.url()).origin !== site()) {
      const consent = page.getByRole("button", { name: "Continue" });
      if (await consent.count()) await consent.click();
    }
    await page.waitForURL((url) => url.origin === site() && !url.pathname.startsWith("/sign-in/organisation"));
  }

  /** Records where the provider sends the browser back (the answer, with its code and state). */
  function watchAnswer(page: Page) {
    const seen = { callback: "" };
    page.on("request", (request) => {
      if (request.url().startsWith(redirect())) seen.callback = request.url();
    });
    return seen;
  }

  async function startAt(page: Page, agency: string) {
    await page.goto(`${site()}/sign-in`);
    await page.getByRole("link", { name: `Sign in with ${agency}` }).click();
  }

  it("signs a known person in through their organisation, and refuses a replayed answer and one from another browser", async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    const answer = watchAnswer(page);
    await page.goto(`${site()}/sign-in`);
    await expectAccessible(page);
    await startAt(page, "Children's Social Care");
    await logInAtProvider(page, "chair.crewe@example.org");
    await page.getByText("Chris Crewe").first().waitFor();
    const callback = answer.callback;
    expect(callback).toContain("code=");
    const [row] = await listAuditEvents(suite.db, { action: "sign_in.succeeded" });
    expect(row.detail).toMatchObject({ factor: "organisation", issuer: good.issuer });

    // The same answer again, in the same browser (signed out) or another: the state was used, nobody is signed in.
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL(/\/sign-in$/);
    for (const browser of [context, await suite.browser.newContext()]) {
      const again = await browser.newPage();
      await again.goto(callback);
      await again.getByText("That sign-in has expired or was already used").first().waitFor();
    }
    await context.close();
  });

  it("refuses an email outside the agency's domains, or with no account here", async () => {
    const page = await (await suite.browser.newContext()).newPage();
    await startAt(page, "Children's Social Care");
    await logInAtProvider(page, "someone@elsewhere.test");
    await page.getByText("uses an email address this organisation may not sign in with here").first().waitFor();
    // A fresh browser, so the provider asks who it is again.
    const other = await (await suite.browser.newContext()).newPage();
    await startAt(other, "Children's Social Care");
    await logInAtProvider(other, "nobody.here@example.org");
    await other.getByText("There is no Threshold account for your organisation's email address").first().waitFor();
    await other.context().close();
    const failures = await listAuditEvents(suite.db, { action: "sign_in.organisation_failed" });
    expect(failures.map((f) => (f.detail as { problem: string }).problem)).toEqual(expect.arrayContaining(["domain", "unknown_person"]));
    await page.context().close();
  });

  it("refuses an answer that comes back after the ten minutes a sign-in has, and a provider that does not name itself as configured", async () => {
    const page = await (await suite.browser.newContext()).newPage();
    await startAt(page, "Early Help");
    await page.locator('input[name="login"]').waitFor();
    clock.advance(11 * 60_000);
    await logInAtProvider(page, "earlyhelp.manager@example.org");
    await page.getByText("That sign-in has expired or was already used").first().waitFor();

    await startAt(page, "Community Health Services");
    await page.waitForURL(/\/sign-in\?organisation=provider/);
    await page.getByText("Your organisation's sign-in did not answer as expected").first().waitFor();
    await page.context().close();
  });
});
