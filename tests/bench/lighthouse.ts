import * as chromeLauncher from "chrome-launcher";
import lighthouse, { desktopConfig, type Flags } from "lighthouse";

export interface LighthousePage {
  label: string;
  url: string;
  cookie: string;
}

interface Scored {
  performance: number;
  accessibility: number;
  bestPractices: number;
  /** Bytes over the network for the first load: all of it, and its scripts (compressed, as sent). */
  totalKb: number;
  scriptKb: number;
}

const score = (n: number | null | undefined) => Math.round((n ?? 0) * 100);

/**
 * Lighthouse (the pinned version in package.json) on each page in Debian's
 * Chromium, signed in, with its default (mobile, throttled) settings and with
 * its desktop settings; one table of scores and bytes.
 */
export async function benchLighthouse(pages: LighthousePage[], say: (line?: string) => void) {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
  });
  const rows: Array<{ page: string; mobile: Scored; desktop: Scored }> = [];
  try {
    const run = async (page: LighthousePage, desktop: boolean): Promise<Scored> => {
      const flags: Flags = {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance", "accessibility", "best-practices"],
        extraHeaders: { Cookie: page.cookie },
      };
      const result = await lighthouse(page.url, flags, desktop ? desktopConfig : undefined);
      if (!result) throw new Error(`Lighthouse gave no result for ${page.label}`);
      const { lhr } = result;
      const summary =
        (lhr.audits["resource-summary"]?.details as { items?: Array<{ resourceType: string; transferSize: number }> })?.items ?? [];
      return {
        performance: score(lhr.categories.performance?.score),
        accessibility: score(lhr.categories.accessibility?.score),
        bestPractices: score(lhr.categories["best-practices"]?.score),
        totalKb: (lhr.audits["total-byte-weight"]?.numericValue ?? 0) / 1024,
        scriptKb: (summary.find((i) => i.resourceType === "script")?.transferSize ?? 0) / 1024,
      };
    };
    for (const page of pages) rows.push({ page: page.label, mobile: await run(page, false), desktop: await run(page, true) });
  } finally {
    await chrome.kill();
  }
  say("### Lighthouse (first load, signed in)");
  say();
  say(
    "Scores out of 100: performance with Lighthouse's default mobile settings and with its desktop settings, accessibility and best practices (desktop run); bytes as sent over the network.",
  );
  say();
  say("| page | performance (mobile) | performance (desktop) | accessibility | best practices | KB transferred | KB of JavaScript |");
  say("| --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) {
    say(
      `| ${r.page} | ${r.mobile.performance} | ${r.desktop.performance} | ${r.desktop.accessibility} | ${r.desktop.bestPractices} | ${r.desktop.totalKb.toFixed(0)} | ${r.desktop.scriptKb.toFixed(0)} |`,
    );
  }
  say();
  say("Targets (issue 28): mobile ≥ 90, desktop ≥ 98, accessibility 100, best practices 100, ≤ 350 KB in all, ≤ 150 KB of JavaScript.");
  say();
  return rows;
}
