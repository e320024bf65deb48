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
  /** What the chart plots, exactly (it may be less than its table): shown above it as "Chart: …" and read as its name. */
  plots: string;
  /** Long category names read better across. */
  horizontal?: boolean;
}

/** GOV.UK colours, in an order that keeps neighbours distinct. */
const PALETTE = ["#1d70b8", "#f47738", "#00703c", "#6f72af", "#d4351c", "#505a5f", "#912b88", "#28a197"];

/** The drawing's width in its own units; the page shows it at this size or a little smaller, so text stays at least 12 px. */
const WIDTH = 600;
/** Text size in the drawing (the page's rules set 13 px, so a chart scaled into a narrow column still reads at 12 px or more). */
const FONT_PX = 13;

/** How many lines a label takes when wrapped at about `ems` characters' width (a character is about 0.6 em). */
function wrappedLines(label: string, ems: number): number {
  const perLine = Math.max(1, Math.floor(ems / 0.6));
  let lines = 1;
  let used = 0;
  for (const word of label.split(/\s+/)) {
    if (used > 0 && used + 1 + word.length > perLine) {
      lines += 1;
      used = word.length;
    } else used += (used > 0 ? 1 : 0) + word.length;
  }
  return lines;
}

const { document } = parseHTML("<!doctype html><html><head></head><body></body></html>");

export function drawBarChart(chart: BarChart): string | null {
  if (chart.data.length === 0 || chart.data.every((d) => d.value === 0)) return null;
  // A series with nothing to show has no bar and no legend entry.
  const series = [...new Set(chart.data.map((d) => d.series))].filter((s) => chart.data.some((d) => d.series === s && d.value !== 0));
  const data = chart.data.filter((d) => series.includes(d.series));
  const color = { domain: series, range: PALETTE.slice(0, Math.max(series.length, 1)), legend: series.length > 1 };
  const longest = Math.max(...chart.categories.map((c) => c.length));
  const wrap = 28;
  const labelLines = Math.min(3, Math.ceil(longest / wrap));
  // Upright columns: each label wraps within its column's width (months read "Jan" over "2026"), never slanted across its neighbours.
  const columnEms = Math.max(3, Math.floor((WIDTH - 60) / chart.categories.length / FONT_PX) - 1);
  const columnLines = Math.min(4, Math.max(...chart.categories.map((c) => wrappedLines(c, columnEms))));
  const figure = chart.horizontal
    ? Plot.plot({
        document,
        width: WIDTH,
        height: 50 + chart.categories.length * Math.max(chart.layout === "grouped" ? 12 * series.length + 12 : 24, 14 * labelLines + 8),
        marginLeft: Math.min(200, 12 + Math.min(longest, wrap) * 6.5),
        marginRight: 20,
        // The value's name centred under its axis, clear of the last tick's number.
        marginBottom: 44,
        x: { label: chart.valueLabel, grid: true, labelAnchor: "center", labelOffset: 38 },
        ...(chart.layout === "grouped"
          ? { fy: { domain: chart.categories, label: null, padding: 0.15 }, y: { domain: series, axis: null } }
          : { y: { domain: chart.categories, label: null } }),
        color,
        marks:
          chart.layout === "grouped"
            ? [
                Plot.barX(data, { x: "value", y: "series", fy: "category", fill: "series" }),
                Plot.ruleX([0]),
                Plot.axisFy({ anchor: "left", label: null, lineWidth: wrap, tickSize: 0 }),
              ]
            : [
                Plot.barX(data, { x: "value", y: "category", fill: "series" }),
                Plot.ruleX([0]),
                Plot.axisY({ label: null, lineWidth: wrap, tickSize: 0 }),
              ],
      })
    : Plot.plot({
        document,
        width: WIDTH,
        height: 300 + 14 * (columnLines - 1),
        marginBottom: 16 + 14 * columnLines,
        // The value's name above its axis, clear of the top tick's number.
        marginTop: 36,
        x: chart.layout === "grouped" ? { axis: null, domain: series } : { domain: chart.categories, axis: null },
        ...(chart.layout === "grouped" ? { fx: { domain: chart.categories, axis: null, padding: 0.15 } } : {}),
        y: { label: chart.valueLabel, grid: true },
        color,
        marks:
          chart.layout === "grouped"
            ? [
                Plot.barY(data, { fx: "category", x: "series", y: "value", fill: "series" }),
                Plot.ruleY([0]),
                Plot.axisFx({ anchor: "bottom", label: null, lineWidth: columnEms, tickSize: 0 }),
              ]
            : [
                Plot.barY(data, { x: "category", y: "value", fill: "series" }),
                Plot.ruleY([0]),
                Plot.axisX({ anchor: "bottom", label: null, lineWidth: columnEms, tickSize: 0 }),
              ],
      });
  return finish(figure as unknown as Element, chart.plots);
}

/** Plot returns a <figure> when there is a legend, else the <svg>: the page wants plain SVG it can style. */
function finish(node: Element, plots: string): string {
  const title = `<p class="govuk-body-s govuk-!-font-weight-bold govuk-!-margin-bottom-1 insight-chart__title">Chart: ${escapeText(plots)}</p>`;
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
    svg.setAttribute("aria-label", `Chart: ${plots}. The table beside it gives the figures`);
    svg.setAttribute("class", "insight-chart__svg");
  }
  if (node.tagName.toLowerCase() === "svg") return title + node.outerHTML;
  // The legend: Plot's swatches, kept as text with a coloured square each.
  const legend = swatches
    .map((s) => {
      const fill = s.querySelector("svg")?.getAttribute("fill") ?? "currentColor";
      const label = s.textContent ?? "";
      return `<span class="insight-chart__key"><svg width="12" height="12" aria-hidden="true" fill="${fill}"><rect width="100%" height="100%"></rect></svg> ${escapeText(label)}</span>`;
    })
    .join("");
  const plot = svgs.find((s) => !s.closest("span"));
  return `${title}<div class="insight-chart__legend">${legend}</div>${plot ? plot.outerHTML : ""}`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
