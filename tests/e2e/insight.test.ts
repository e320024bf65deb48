import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { fixedClock } from "../../app/lib/clock";
import { runHousekeeping } from "../../app/services/housekeeping.server";
import { browserAvailable, expectAccessible, signInAs } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";

describe.skipIf(!browserAvailable)("insight dashboard in a browser", () => {
  const suite = useBrowserSuite({ demo: true, history: true });

  it("a service manager sees charts with their tables, filters by area and downloads the CSVs", async () => {
    const page = await suite.as("service.manager@example.org");
    await page.getByRole("link", { name: "Insight", exact: true }).first().click();
    await page.waitForURL(/\/insight/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Insight");
    // Every figure that has something to say draws a chart beside its table.
    const charts = page.locator(".insight-chart svg[role=img]");
    expect(await charts.count()).toBeGreaterThanOrEqual(8);
    expect(await page.locator("table.govuk-table").count()).toBeGreaterThanOrEqual(10);
    const outcomes = page.locator("#decisions-by-outcome table");
    expect(await outcomes.locator("tbody tr").count()).toBeGreaterThan(2);
    await expectAccessible(page);

    // Filter by area: the address holds the filters, and only Crewe is counted.
    await page.getByLabel("Area", { exact: true }).selectOption({ label: "Crewe" });
    await page.getByRole("button", { name: "Show figures" }).click();
    await page.waitForURL(/area=\d+/);
    const bounceAreas = await page.locator("#bounce-back tbody tr td:first-child").allTextContents();
    expect(bounceAreas.length).toBeGreaterThan(0);
    expect(new Set(bounceAreas)).toEqual(new Set(["Crewe"]));
    const shared = page.url();
    const again = await (await page.context().browser()!.newContext()).newPage();
    await signInAs(again, suite.url, "service.manager@example.org", DEMO_PASSWORD);
    await again.goto(shared);
    expect(await again.getByLabel("Area", { exact: true }).inputValue()).toBe(await page.getByLabel("Area", { exact: true }).inputValue());

    // The CSV is the table on the page.
    const tableRows = await page
      .locator("#decisions-by-outcome tbody tr")
      .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll("td")).map((td) => td.textContent ?? "")));
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page
        .locator("#decisions-by-outcome")
        .getByRole("link", { name: /Download this table/ })
        .click(),
    ]);
    const csv = readFileSync((await download.path())!, "utf8")
      .trim()
      .split("\n");
    expect(csv[0]).toBe("Outcome,Step up requests,Step down requests,Total");
    expect(csv.slice(1)).toEqual(tableRows.map((r) => r.join(",")));

    const [census] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: /Children in Need census return/ }).click(),
    ]);
    const censusCsv = readFileSync((await census.path())!, "utf8");
    expect(censusCsv.split("\n")[0]).toContain("Referral source code");
    expect(censusCsv).toMatch(/RC9|RC7|,2A,|,3F,|,6,/);
  });

  it("draws charts a person can read: labels at least 12 px on screen, none overlapping, legends only for series with data, titles saying what is plotted", async () => {
    const page = await suite.as("service.manager@example.org");
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${suite.url}/insight`);
    const charts = await page.locator(".insight-chart").evaluateAll((nodes) =>
      nodes
        .filter((n) => n.querySelector("svg.insight-chart__svg"))
        .map((n) => {
          const svg = n.querySelector("svg.insight-chart__svg") as SVGSVGElement;
          const figure = n.closest(".insight-figure")!;
          const texts = Array.from(svg.querySelectorAll("text"))
            .filter((t) => (t.textContent ?? "").trim() !== "")
            .map((t) => {
              const box = t.getBoundingClientRect();
              const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
              return {
                text: t.textContent ?? "",
                px: parseFloat(getComputedStyle(t).fontSize) * scale,
                box: { x: box.x, y: box.y, w: box.width, h: box.height },
              };
            });
          const legend = n.querySelector(".insight-chart__legend");
          const legendFont = legend ? getComputedStyle(legend).fontFamily : null;
          return {
            id: figure.id,
            title: n.querySelector(".insight-chart__title")?.textContent ?? "",
            legend: Array.from(n.querySelectorAll(".insight-chart__key")).map((k) => (k.textContent ?? "").trim()),
            legendFont,
            pageFont: getComputedStyle(figure.querySelector(".insight-figure__counting")!).fontFamily,
            texts,
            headers: Array.from(figure.querySelectorAll("thead th")).map((th) => th.textContent ?? ""),
          };
        }),
    );
    expect(charts.length).toBeGreaterThanOrEqual(8);
    const overlapping = (a: { x: number; y: number; w: number; h: number }, b: typeof a) =>
      a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
    for (const chart of charts) {
      const small = chart.texts.filter((t) => t.px < 12).map((t) => `${t.text} at ${t.px.toFixed(1)} px`);
      expect(small, chart.id).toEqual([]);
      const clashes: string[] = [];
      chart.texts.forEach((a, i) =>
        chart.texts.slice(i + 1).forEach((b) => {
          if (overlapping(a.box, b.box)) clashes.push(`${a.text} / ${b.text}`);
        }),
      );
      expect(clashes, chart.id).toEqual([]);
      expect(chart.title, chart.id).toMatch(/^Chart: /);
      if (chart.legendFont !== null) expect(chart.legendFont, chart.id).toBe(chart.pageFont);
    }
    // Twelve months of flow: one label per month, each readable.
    const flow = charts.find((c) => c.id === "requests-per-panel")!;
    expect(flow.texts.filter((t) => /^[A-Z][a-z]{2} ?\d{4}$/.test(t.text))).toHaveLength(12);
    console.log(
      charts
        .map((c) => `${c.id}: smallest ${Math.min(...c.texts.map((t) => t.px)).toFixed(1)} px; legend ${c.legend.join(", ") || "none"}`)
        .join("\n"),
    );
  });

  it("works without JavaScript and prints without the filters", async () => {
    const context = await suite.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInAs(page, suite.url, "service.manager@example.org", DEMO_PASSWORD);
    await page.goto(`${suite.url}/insight`);
    expect(await page.locator(".insight-chart svg[role=img]").count()).toBeGreaterThanOrEqual(8);
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("form.insight-filters").isVisible()).toBe(false);
    expect(await page.locator("#requests-per-panel svg[role=img]").isVisible()).toBe(true);
    await context.close();
  });

  it("keeps a team manager to their own area and shuts everyone else out", async () => {
    const chair = await suite.as("chair.crewe@example.org");
    await chair.goto(`${suite.url}/insight`);
    const areas = await chair.getByLabel("Area", { exact: true }).locator("option").allTextContents();
    expect(areas).toEqual(["Crewe"]);
    const referrer = await suite.as("referrer@example.org");
    expect(await referrer.getByRole("link", { name: "Insight", exact: true }).count()).toBe(0);
    const refused = await referrer.goto(`${suite.url}/insight`);
    expect(refused?.status()).toBe(403);
    const csv = await referrer.goto(`${suite.url}/insight/census-return.csv`);
    expect(csv?.status()).toBe(403);
    // Administrators see the figures, but not the census return, which names cases.
    const admin = await suite.as("admin@example.org");
    expect((await admin.goto(`${suite.url}/insight`))?.status()).toBe(200);
    expect(await admin.getByRole("link", { name: /census return/ }).count()).toBe(0);
    expect((await admin.goto(`${suite.url}/insight/census-return.csv`))?.status()).toBe(403);
  });

  it("an address it cannot read gets the error summary, not a crash", async () => {
    const page = await suite.as("service.manager@example.org");
    const response = await page.goto(`${suite.url}/insight?from=2026-13&area=crewe`);
    expect(response?.status()).toBe(400);
    expect(await page.locator(".govuk-error-summary").textContent()).toContain("Choose a month from the list");
    expect(await page.locator(".insight-chart svg").count()).toBeGreaterThan(0);
  });

  it("the Monday snapshot arrives in the mailbox with counts only", async () => {
    const monday = fixedClock("2026-11-30T08:00:05Z");
    await runHousekeeping({ db: suite.db, clock: fixedClock("2026-11-29T12:00:00Z"), settings: { appUrl: suite.url } });
    await runHousekeeping({ db: suite.db, clock: monday, settings: { appUrl: suite.url } });
    const admin = await suite.as("admin@example.org");
    await admin.goto(`${suite.url}/dev/mailbox`);
    const row = admin.locator("tr", { hasText: "service.manager@example.org" }).filter({ hasText: "weekly panel figures" });
    expect(await row.count()).toBe(1);
    await row.getByRole("link").first().click();
    const body = await admin.locator("main").textContent();
    expect(body).toContain("Requests decided:");
    expect(body).not.toMatch(/TH-\d{4}-\d+/);
  });
});
