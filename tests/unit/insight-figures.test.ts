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
    const svg = drawBarChart(
      {
        categories: ["<script>alert(1)</script>", "Valley & Hill"],
        data: [
          { category: "<script>alert(1)</script>", series: "Raised", value: 2 },
          { category: "Valley & Hill", series: "Raised", value: 1 },
        ],
        valueLabel: "Challenges",
        layout: "stacked",
        horizontal: true,
      },
      "Challenges by agency",
    )!;
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toMatch(/^<svg [^>]*aria-label="Challenges by agency: the table beside it gives the figures"/);
    expect(svg).not.toContain("<script");
    expect(svg).toContain("&lt;script&gt;");
    expect(svg).not.toMatch(/<style|style="/);
  });

  it("nothing to chart draws nothing", () => {
    expect(
      drawBarChart({ categories: ["A"], data: [{ category: "A", series: "S", value: 0 }], valueLabel: "n", layout: "stacked" }, "T"),
    ).toBeNull();
  });
});
