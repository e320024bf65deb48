import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { browserAvailable } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";
import { linksOn, shapeOf } from "../support/crawl";

/** The people whose pages between them cover the whole app. */
const PEOPLE = [
  "chair.crewe@example.org",
  "referrer@example.org",
  "partner.health@example.org",
  "service.manager@example.org",
  "admin@example.org",
];

describe.skipIf(!browserAvailable)("small screens", () => {
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const suite = useBrowserSuite({ clock, demo: true });

  it("folds the navigation behind the GOV.UK Menu toggle at 375 px, and it opens", async () => {
    const page = await suite.as("chair.crewe@example.org");
    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    const menu = page.getByRole("button", { name: "Menu" });
    await menu.waitFor();
    expect(await page.locator("#navigation").isVisible()).toBe(false);
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    await page.locator("#navigation").getByRole("link", { name: "Panels" }).click();
    await page.getByRole("heading", { name: "Panels" }).first().waitFor();
    await page.context().close();
  });

  it("never scrolls sideways at 375 px, and the browser policy blocks nothing of ours, on any page the demo people reach", async () => {
    const wide: string[] = [];
    const refused: string[] = [];
    let checked = 0;
    for (const email of PEOPLE) {
      const page = await suite.as(email);
      // The Content-Security-Policy must never block anything of ours.
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) refused.push(`${page.url()}: ${message.text().slice(0, 200)}`);
      });
      await page.setViewportSize({ width: 375, height: 800 });
      const seen = new Map<string, number>();
      const queue = ["/"];
      while (queue.length && checked < 400) {
        const path = queue.shift()!;
        const shape = shapeOf(path);
        if (seen.has(path) || (seen.get(shape) ?? 0) >= 2) continue;
        seen.set(path, 1);
        seen.set(shape, (seen.get(shape) ?? 0) + 1);
        const response = await page.goto(`${suite.url}${path}`);
        if (!response || response.status() !== 200 || !(response.headers()["content-type"] ?? "").includes("text/html")) continue;
        checked++;
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 0) wide.push(`${email} ${path}: ${overflow}px too wide`);
        for (const href of linksOn(await page.content(), path)) {
          if (!seen.has(href) && (seen.get(shapeOf(href)) ?? 0) < 2) queue.push(href);
        }
      }
      await page.context().close();
    }
    expect(checked).toBeGreaterThan(40);
    expect(wide).toEqual([]);
    expect(refused).toEqual([]);
  }, 300_000);
});
