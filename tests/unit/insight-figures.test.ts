import { describe, expect, it } from "vitest";
import { percentileDays } from "../../app/services/insight.server";
import { drawBarChart } from "../../app/services/insight-charts.server";

describe("insight figures", () => {
  it("the median and 90th percentile are exact from day counts, the lower middle when even", () => {
    const days = (...values: number[]) => values.map((d) => ({ days: d, n: 1 }));
    expect(percentileDays(days(3, 9, 22, 26, 32), 0.5)).toBe(22);
    expect(percentileDays(days(3, 9, 22, 26, 32), 0.9)).toBe(32);
    expect(percentileDays(days(1, 2, 3, 4), 0.5)).toBe(2);
    expect(
      percentileDays(
        [
          { days: 14, n: 3 },
          { days: 7, n: 1 },
        ],
        0.5,
      ),
    ).toBe(14);
    expect(percentileDays([], 0.5)).toBeNull();
  });

  it("a chart is one described image with no styles of its own, and names typed by people stay text", () => {
    const svg = drawBarChart({
      categories: ["<script>alert(1)</script>", "Valley & Hill"],
      data: [
        { category: "<script>alert(1)</script>", series: "Raised", value: 2 },
        { category: "Valley & Hill", series: "Raised", value: 1 },
      ],
      valueLabel: "Challenges",
      plots: "challenges raised by each raising agency",
      layout: "stacked",
      horizontal: true,
    })!;
    expect(svg).toMatch(/^<p [^>]*>Chart: challenges raised by each raising agency<\/p><svg [^>]*role="img"/);
    expect(svg).toMatch(/<svg [^>]*aria-label="Chart: challenges raised by each raising agency. The table beside it gives the figures"/);
    expect(svg).not.toContain("<script");
    expect(svg).toContain("&lt;script&gt;");
    expect(svg).not.toMatch(/<style|style="/);
  });

  it("a series with no data has no legend entry", () => {
    const drawn = drawBarChart({
      categories: ["Jan 2026", "Feb 2026"],
      data: [
        { category: "Jan 2026", series: "Step up", value: 3 },
        { category: "Feb 2026", series: "Step up", value: 1 },
        { category: "Jan 2026", series: "Step down", value: 0 },
        { category: "Feb 2026", series: "Step down", value: 0 },
        { category: "Jan 2026", series: "Front door", value: 2 },
      ],
      valueLabel: "Requests",
      plots: "requests each month",
      layout: "stacked",
    })!;
    const keys = [...drawn.matchAll(/<span class="insight-chart__key">.*?<\/svg> ([^<]*)<\/span>/g)].map((m) => m[1]);
    expect(keys).toEqual(["Step up", "Front door"]);
  });

  it("nothing to chart draws nothing", () => {
    expect(
      drawBarChart({ categories: ["A"], data: [{ category: "A", series: "S", value: 0 }], valueLabel: "n", plots: "n", layout: "stacked" }),
    ).toBeNull();
  });
});
