import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/**
 * Charts drawn on the server as SVG with Observable Plot (scales, axes and
 * legends are Plot's). A server-side document stands in for the browser's.
 * The page's style rules (no inline styles under the content security policy)
 * replace the <style> element Plot writes.
 */

export interface BarChart {
  /** What each bar is; the categories keep the order given. */
  categories: string[];
  /** One bar per category and series. */
  data: Array<{ category: string; series: string; value: number }>;
  valueLabel: string;
  /** Bars side by side (grouped) or on top of each other (stacked). */
  layout: "grouped" | "stacked";
  /** Long category names read better across. */
  horizontal?: boolean;
}

/** GOV.UK colours, in an order that keeps neighbours distinct. */
const PALETTE = ["#1d70b8", "#f47738", "#00703c", "#6f72af", "#d4351c", "#505a5f", "#912b88", "#28a197"];

const { document } = parseHTML("<!doctype html><html><head></head><body></body></html>");

export function drawBarChart(chart: BarChart, title: string): string | null {
  if (chart.data.length === 0 || chart.data.every((d) => d.value === 0)) return null;
  const series = [...new Set(chart.data.map((d) => d.series))];
  const color = { domain: series, range: PALETTE.slice(0, Math.max(series.length, 1)), legend: series.length > 1 };
  const longest = Math.max(...chart.categories.map((c) => c.length));
  const wrap = 28;
  const labelLines = Math.min(3, Math.ceil(longest / wrap));
  const figure = chart.horizontal
    ? Plot.plot({
        document,
        width: 640,
        height: 30 + chart.categories.length * Math.max(chart.layout === "grouped" ? 12 * series.length + 12 : 24, 14 * labelLines + 8),
        marginLeft: Math.min(200, 12 + Math.min(longest, wrap) * 6.5),
        marginRight: 20,
        x: { label: chart.valueLabel, grid: true },
        ...(chart.layout === "grouped"
          ? { fy: { domain: chart.categories, label: null, padding: 0.15 }, y: { domain: series, axis: null } }
          : { y: { domain: chart.categories, label: null } }),
        color,
        marks:
          chart.layout === "grouped"
            ? [
                Plot.barX(chart.data, { x: "value", y: "series", fy: "category", fill: "series" }),
                Plot.ruleX([0]),
                Plot.axisFy({ anchor: "left", label: null, lineWidth: wrap, tickSize: 0 }),
              ]
            : [
                Plot.barX(chart.data, { x: "value", y: "category", fill: "series" }),
                Plot.ruleX([0]),
                Plot.axisY({ label: null, lineWidth: wrap, tickSize: 0 }),
              ],
      })
    : Plot.plot({
        document,
        width: 640,
        height: 300,
        marginBottom: longest > 8 ? 70 : 40,
        x:
          chart.layout === "grouped"
            ? { axis: null, domain: series }
            : { label: null, domain: chart.categories, tickRotate: longest > 8 ? -30 : 0 },
        ...(chart.layout === "grouped" ? { fx: { domain: chart.categories, label: null, tickRotate: longest > 8 ? -30 : 0 } } : {}),
        y: { label: chart.valueLabel, grid: true },
        color,
        marks:
          chart.layout === "grouped"
            ? [Plot.barY(chart.data, { fx: "category", x: "series", y: "value", fill: "series" }), Plot.ruleY([0])]
            : [Plot.barY(chart.data, { x: "category", y: "value", fill: "series" }), Plot.ruleY([0])],
      });
  return finish(figure as unknown as Element, title);
}

/** Plot returns a <figure> when there is a legend, else the <svg>: the page wants plain SVG it can style. */
function finish(node: Element, title: string): string {
  for (const style of Array.from(node.querySelectorAll("style"))) style.remove();
  for (const styled of Array.from(node.querySelectorAll("[style]"))) styled.removeAttribute("style");
  node.removeAttribute("style");
  const svgs = Array.from(node.tagName.toLowerCase() === "svg" ? [node] : node.querySelectorAll("svg"));
  const swatches = Array.from(node.querySelectorAll("span")).filter((s) => s.querySelector("svg"));
  for (const svg of svgs) {
    // The chart is one image described by its table: Plot's labels on the parts inside would be read as nothing.
    for (const part of Array.from(svg.querySelectorAll("[aria-label], [aria-description], [aria-hidden]"))) {
      part.removeAttribute("aria-label");
      part.removeAttribute("aria-description");
      part.removeAttribute("aria-hidden");
    }
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", `${title}: the table beside it gives the figures`);
    svg.setAttribute("class", "insight-chart__svg");
  }
  if (node.tagName.toLowerCase() === "svg") return node.outerHTML;
  // The legend: Plot's swatches, kept as text with a coloured square each.
  const legend = swatches
    .map((s) => {
      const fill = s.querySelector("svg")?.getAttribute("fill") ?? "currentColor";
      const label = s.textContent ?? "";
      return `<span class="insight-chart__key"><svg width="12" height="12" aria-hidden="true" fill="${fill}"><rect width="100%" height="100%"></rect></svg> ${escapeText(label)}</span>`;
    })
    .join("");
  const plot = svgs.find((s) => !s.closest("span"));
  return `<div class="insight-chart__legend">${legend}</div>${plot ? plot.outerHTML : ""}`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
