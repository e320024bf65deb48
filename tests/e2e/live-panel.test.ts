import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, expectAccessible } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";
import { startDemoPanelLive } from "../support/live";

describe.skipIf(!browserAvailable)("the live panel in two browsers", () => {
  const suite = useBrowserSuite({ demo: true });

  const nowHeading = (page: Page) => page.locator(".live-current h2").textContent();

  it("the attendee's page follows the chair within 2 seconds, shows a partner only her own item, and announces politely", async () => {
    const panel = await startDemoPanelLive(suite.db);
    const chair = await suite.as("chair.crewe@example.org");
    await chair.goto(`${suite.url}/panels/${panel.id}/meeting`);
    await chair.getByRole("button", { name: "Start the first item" }).click();
    await chair.waitForURL(/meeting/);

    const hana = await suite.as("partner.health@example.org");
    // Her home page offers the panel sitting now, though it started before its planned day.
    await hana.goto(`${suite.url}/`);
    expect(await hana.getByRole("link", { name: "In session now: follow it live" }).getAttribute("href")).toBe(`/panels/${panel.id}/live`);
    await hana.goto(`${suite.url}/panels/${panel.id}/live`);
    expect(await nowHeading(hana)).toBe(`Now: Item 1 of ${panel.total}`);
    await hana.getByText("This page updates by itself.").waitFor();
    await expectAccessible(hana);

    // The chair moves on; her page changes by itself, without a reload.
    const loads: string[] = [];
    hana.on("load", () => loads.push(hana.url()));
    const started = Date.now();
    await chair.getByRole("button", { name: "Next item", exact: true }).click();
    await hana.waitForFunction(
      (text) => document.querySelector(".live-current h2")?.textContent === text,
      `Now: Item 2 of ${panel.total}`,
      {
        timeout: 2000,
      },
    );
    const latency = Date.now() - started;
    expect(latency).toBeLessThan(2000);
    await chair.waitForURL(/meeting/);

    // Her own item: its reference and kind, announced in the live region; focus stays where it was.
    await chair.getByRole("button", { name: "Next item", exact: true }).click();
    await hana.waitForFunction(
      (ref) =>
        document.querySelector(".live-current h2")?.textContent === `Now: ${ref}: Step up` ||
        document.querySelector(".live-current h2")?.textContent === `Now: ${ref}: Step down`,
      panel.references[2],
      { timeout: 2000 },
    );
    expect(await hana.locator("#live-announcement").getAttribute("aria-live")).toBe("polite");
    expect(await hana.locator("#live-announcement").textContent()).toContain(`Now discussing ${panel.references[2]}`);
    expect(await hana.evaluate(() => document.activeElement === document.body)).toBe(true);
    expect(loads).toEqual([]);

    // Neither her page nor her event stream carries another item's details.
    const html = await hana.content();
    const streamed = await hana.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const source = new EventSource(url);
          source.onmessage = (event) => {
            source.close();
            resolve(event.data as string);
          };
        }),
      `/panels/${panel.id}/live/events`,
    );
    expect(streamed).toContain(panel.references[2]);
    for (const other of panel.references.filter((_, i) => i !== 2)) {
      expect(html).not.toContain(other);
      expect(streamed).not.toContain(other);
    }

    // The chairing page shows the same running line.
    const line = await hana.locator("#running-line").textContent();
    await chair.waitForURL(/meeting/);
    expect(await chair.locator("#running-order").textContent()).toContain(line!.trim());
  });

  it("without JavaScript the live page is a plain page with a refresh link; someone not invited gets 404", async () => {
    const panel = await suite.db.selectFrom("panels").select("id").where("status", "=", "in_session").executeTakeFirstOrThrow();
    const context = await suite.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${suite.url}/sign-in`);
    await page.getByLabel("Email address").fill("volunteer@example.org");
    await page.getByLabel("Password").fill("threshold-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    await page.goto(`${suite.url}/panels/${panel.id}/live`);
    expect(await page.getByRole("link", { name: "Refresh" }).count()).toBe(1);
    expect(await page.locator("#running-line").textContent()).toMatch(/Running|All items/);
    await context.close();
    const stranger = await suite.as("chair.macclesfield@example.org");
    expect((await stranger.goto(`${suite.url}/panels/${panel.id}/live`))?.status()).toBe(404);
    expect((await stranger.goto(`${suite.url}/panels/${panel.id}/live/events`))?.status()).toBe(404);
  });
});
