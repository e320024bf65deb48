import { engagementCounts, handoverTimeliness } from "../../db/queries/engagement";
import { questionTimes } from "../../db/queries/questions";
import { ENGAGEMENT_OUTCOMES } from "../../db/schema";
import { ENGAGEMENT_LABELS } from "../lib/labels";
import { CATEGORY_LABELS } from "../lib/labels";
import { DECISION_LABELS } from "../lib/labels";
import { DateTime } from "luxon";
import { z } from "zod";
import {
  awaitingCounts,
  bounceByArea,
  challengeOutcomeCounts,
  durationRows,
  insightState,
  monthlyRows,
  openChallengeCounts,
  overdueCounts,
  panelCounts,
  refreshInsightTables,
  type InsightScope,
} from "../../db/queries/insight";
import { timedItems } from "../../db/queries/live";
import { listAgencies, listAreas } from "../../db/queries/organisation";
import type { InsightMonthlyTable, PanelKindOrNone } from "../../db/schema";
import type { Actor, CurrentUser, Deps } from "../lib/context";
import { toCsv } from "../lib/csv";
import { ZONE, ukDate } from "../lib/dates";
import { may } from "../lib/policy";
import { STAGE_LABELS } from "../lib/state-labels";
import { forbidden } from "./authorise.server";
import { drawBarChart, type BarChart } from "./insight-charts.server";

/*
 * The insight dashboard (ADR 015). Period figures come from the monthly
 * roll-ups the refresh job keeps; waiting work is read live. Every figure is
 * a table (the source of truth, and its CSV) with a chart drawn from the same
 * rows and a line saying how it is counted and what was left out.
 */

export interface Figure {
  id: string;
  title: string;
  /** How the figure is counted, and how many records were left out and why. */
  counting: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  chart: string | null;
}

export interface InsightFilters {
  from: string;
  to: string;
  area: number;
  agency: number;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const id = z.union([z.literal(""), z.coerce.number().int().min(0).max(2_147_483_647)]).transform((v) => (v === "" ? 0 : v));

/** The page's filters from its address; anything unreadable is reported next to its field and the default used. */
export function insightFilters(params: Record<string, string>, today: string) {
  const thisMonth = today.slice(0, 7);
  const defaults: InsightFilters = {
    from: DateTime.fromISO(`${thisMonth}-01`).minus({ months: 11 }).toFormat("yyyy-MM"),
    to: thisMonth,
    area: 0,
    agency: 0,
  };
  const errors: Record<string, string> = {};
  const month = (name: "from" | "to") => {
    const value = params[name];
    if (value === undefined || value === "") return defaults[name];
    if (!MONTH.test(value) || value < "2000-01" || value > thisMonth) {
      errors[name] = `Choose a month from the list for "${name === "from" ? "From" : "To"}"`;
      return defaults[name];
    }
    return value;
  };
  const filters: InsightFilters = { ...defaults, from: month("from"), to: month("to") };
  for (const name of ["area", "agency"] as const) {
    const parsed = id.safeParse(params[name] ?? "");
    if (parsed.success) filters[name] = parsed.data;
    else errors[name] = `Choose ${name === "area" ? "an area" : "an agency"} from the list`;
  }
  if (!errors.from && !errors.to && filters.from > filters.to) {
    errors.to = "The end month must be the same as or after the start month";
    filters.from = defaults.from;
    filters.to = defaults.to;
  }
  return { filters, errors };
}

/** Who may see the figures, and for which areas: null means every area. */
export function insightAreasFor(user: CurrentUser): number[] | null {
  if (!may(user, "readInsight")) throw forbidden();
  if (user.role === "admin" || user.allAreas) return null;
  if (user.areaId === null) throw forbidden();
  return [user.areaId];
}

export function scopeOf(filters: InsightFilters, areas: number[] | null): InsightScope {
  // Someone who acts for one area sees that area whatever the address asks for.
  const areaId = areas ? (areas.includes(filters.area) ? filters.area : areas[0]!) : filters.area;
  return { fromMonth: `${filters.from}-01`, toMonth: `${filters.to}-01`, areaId, agencyId: filters.agency };
}

function periodOf(scope: InsightScope) {
  const from = DateTime.fromISO(scope.fromMonth, { zone: ZONE }).startOf("month");
  const to = DateTime.fromISO(scope.toMonth, { zone: ZONE }).startOf("month").plus({ months: 1 });
  return { from: from.toJSDate(), to: to.toJSDate() };
}

const monthLabel = (isoMonth: string) => DateTime.fromISO(isoMonth.slice(0, 10)).toFormat("MMM yyyy");
const percent = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : "–");
const ratio = (part: number, whole: number) => (whole ? Number((part / whole).toFixed(1)) : "–");
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
export const PANEL_KIND_LABELS: Record<PanelKindOrNone, string> = {
  routine: "Routine",
  extraordinary: "Extraordinary",
  none: "Outside a panel",
};
const STEP_DOWN_AGREED = ["step_down_agreed_early_help", "step_down_agreed_volunteer_support"];

/** The smallest whole number of days that at least `share` of the requests took (exact, from the day counts). */
export function percentileDays(counts: Array<{ days: number; n: number }>, share: number): number | null {
  const total = counts.reduce((sum, c) => sum + c.n, 0);
  if (!total) return null;
  let seen = 0;
  for (const c of [...counts].sort((a, b) => a.days - b.days)) {
    seen += c.n;
    if (seen >= share * total) return c.days;
  }
  return null;
}

type Monthly = Pick<InsightMonthlyTable, "month" | "kind" | "panel_kind" | "outcome"> & Record<string, number | string>;
const sum = (rows: Monthly[], column: keyof InsightMonthlyTable, where: (r: Monthly) => boolean = () => true) =>
  rows.filter(where).reduce((total, r) => total + Number(r[column]), 0);

function figureOf(spec: Omit<Figure, "chart">, chart: BarChart | null): Figure {
  return { ...spec, chart: chart ? drawBarChart(chart) : null };
}

/** Everything the dashboard shows for the filters, for a person who may see it. */
export async function insightDashboard(deps: Deps, actor: Actor, filters: InsightFilters, options: { charts?: boolean } = {}) {
  const figure = (spec: Omit<Figure, "chart">, chart: BarChart | null) => figureOf(spec, options.charts === false ? null : chart);
  const areas = insightAreasFor(actor.user);
  const scope = scopeOf(filters, areas);
  const period = periodOf(scope);
  const now = deps.clock.now();
  const today = ukDate(now);
  const [monthly, durations, panels, awaiting, overdue, open, outcomesOfChallenges, bounce, state, timed] = await Promise.all([
    monthlyRows(deps.db, scope) as Promise<Monthly[]>,
    durationRows(deps.db, scope),
    panelCounts(deps.db, { ...period, areaId: scope.areaId }),
    awaitingCounts(deps.db, { ...scope, today }),
    overdueCounts(deps.db, { ...scope, today }),
    openChallengeCounts(deps.db, { ...scope, now }),
    challengeOutcomeCounts(deps.db, { ...period, areaId: scope.areaId, agencyId: scope.agencyId }),
    bounceByArea(deps.db, scope),
    insightState(deps.db),
    timedItems(deps.db, { ...period, areaId: scope.areaId }),
  ]);
  const agencyNote = scope.agencyId ? " Panels are not filtered by agency." : "";

  // Flow: requests decided at each month's panels.
  const months: string[] = [];
  for (let m = DateTime.fromISO(scope.fromMonth); m.toISODate()! <= scope.toMonth; m = m.plus({ months: 1 })) months.push(m.toISODate()!);
  const monthOf = (row: { month: string | Date }) => String(row.month).slice(0, 10);
  const heldByMonth = new Map<string, number>();
  for (const p of panels.held) heldByMonth.set(monthOf(p), (heldByMonth.get(monthOf(p)) ?? 0) + p.held);
  const atPanel = (r: Monthly) => r.panel_kind !== "none";
  const outsidePanel = sum(monthly, "decided", (r) => !atPanel(r));
  const flowRows = months.map((m) => {
    const ups = sum(monthly, "decided", (r) => monthOf(r) === m && atPanel(r) && r.kind === "step_up");
    const downs = sum(monthly, "decided", (r) => monthOf(r) === m && atPanel(r) && r.kind === "step_down");
    const held = heldByMonth.get(m) ?? 0;
    return [monthLabel(m), held, ups, downs, ratio(ups + downs, held)];
  });
  const requestsPerPanel = figure(
    {
      id: "requests-per-panel",
      title: "Requests decided per panel",
      counting:
        `Each request is counted once, in the month (UK time) of its panel's decision; a corrected decision keeps its panel's date. ` +
        `Left out: ${plural(outsidePanel, "request")} decided outside a panel; withdrawn requests and deferrals are not decisions.${agencyNote}`,
      columns: ["Month", "Panels held", "Step ups decided", "Step downs decided", "Decided per panel"],
      rows: flowRows,
    },
    {
      categories: months.map(monthLabel),
      data: flowRows.flatMap((r) => [
        { category: String(r[0]), series: "Step up", value: Number(r[2]) },
        { category: String(r[0]), series: "Step down", value: Number(r[3]) },
      ]),
      valueLabel: "Requests decided",
      plots: "step ups and step downs decided at a panel each month, stacked",
      layout: "stacked",
    },
  );

  const outcomes = Object.keys(DECISION_LABELS).filter((o) => o !== "deferred");
  const outcomeRows = outcomes
    .map((o) => {
      const up = sum(monthly, "decided", (r) => r.outcome === o && r.kind === "step_up");
      const down = sum(monthly, "decided", (r) => r.outcome === o && r.kind === "step_down");
      return [DECISION_LABELS[o as keyof typeof DECISION_LABELS], up, down, up + down];
    })
    .filter((r) => Number(r[3]) > 0);
  const decidedTotal = sum(monthly, "decided");
  const deferredTwice = sum(monthly, "deferred_twice");
  const decisionsByOutcome = figure(
    {
      id: "decisions-by-outcome",
      title: "Decisions by outcome",
      counting:
        `Each decided request counted once by its settled outcome (after any correction), at a panel or outside one; ` +
        `${plural(deferredTwice, "request")} of the ${decidedTotal} had been deferred more than once first. Deferrals themselves and withdrawn requests are left out.`,
      columns: ["Outcome", "Step up requests", "Step down requests", "Total"],
      rows: outcomeRows,
    },
    {
      categories: outcomeRows.map((r) => String(r[0])),
      data: outcomeRows.flatMap((r) => [
        { category: String(r[0]), series: "Step up", value: Number(r[1]) },
        { category: String(r[0]), series: "Step down", value: Number(r[2]) },
      ]),
      valueLabel: "Requests",
      plots: "decided requests by outcome, step up and step down stacked",
      layout: "stacked",
      horizontal: true,
    },
  );

  const durationOf = (measure: string, where: (d: (typeof durations)[number]) => boolean = () => true) =>
    durations.filter((d) => d.measure === measure && where(d)).map((d) => ({ days: Number(d.days), n: Number(d.n) }));
  const timeRow = (label: string, counts: Array<{ days: number; n: number }>) => [
    label,
    counts.reduce((s, c) => s + c.n, 0),
    percentileDays(counts, 0.5) ?? "–",
    percentileDays(counts, 0.9) ?? "–",
  ];
  const toDecisionUp = durationOf("to_decision", (d) => d.kind === "step_up");
  const toDecisionDown = durationOf("to_decision", (d) => d.kind === "step_down");
  const toTransfer = durationOf("to_transfer");
  const timeRows = [
    timeRow("Submission to decision: step up", toDecisionUp),
    timeRow("Submission to decision: step down", toDecisionDown),
    timeRow("Decision to transfer meeting: step down", toTransfer),
  ];
  const agreedDowns = sum(monthly, "decided", (r) => STEP_DOWN_AGREED.includes(r.outcome));
  const noSubmission = decidedTotal - toDecisionUp.concat(toDecisionDown).reduce((s, c) => s + c.n, 0);
  const times = figure(
    {
      id: "time-to-decision",
      title: "Time from submission to decision, and from decision to transfer meeting",
      counting:
        `Whole days between UK dates; the median is the middle request's days (the lower middle when even), the 90th percentile the days within which 9 in 10 were done. ` +
        `Left out: ${plural(Math.max(0, noSubmission), "decision")} with no submission date; ${plural(Math.max(0, agreedDowns - toTransfer.reduce((s, c) => s + c.n, 0)), "agreed step down")} with no transfer meeting date.`,
      columns: ["Measure", "Requests counted", "Median (days)", "90th percentile (days)"],
      rows: timeRows,
    },
    {
      categories: timeRows.map((r) => String(r[0])),
      data: timeRows.flatMap((r) => [
        { category: String(r[0]), series: "Median", value: Number(r[2]) || 0 },
        { category: String(r[0]), series: "90th percentile", value: Number(r[3]) || 0 },
      ]),
      valueLabel: "Days",
      plots: "median and 90th percentile days for each measure",
      layout: "grouped",
      horizontal: true,
    },
  );

  // Extraordinary against routine.
  const kinds = ["routine", "extraordinary"] as const;
  const heldOf = (k: string) => panels.held.filter((p) => p.kind === k).reduce((n, p) => n + p.held, 0);
  const invited = (k: string) => panels.attendance.find((a) => a.kind === k)?.invited ?? 0;
  const attended = (k: string) => panels.attendance.find((a) => a.kind === k)?.came ?? 0;
  const decidedAt = (k: string, where: (r: Monthly) => boolean = () => true) =>
    sum(monthly, "decided", (r) => r.panel_kind === k && where(r));
  const followUp = (k: string, months: 3 | 6) => {
    const same = sum(monthly, `same_${months}`, (r) => r.panel_kind === k);
    const back = sum(monthly, `back_${months}`, (r) => r.panel_kind === k);
    const closed = sum(monthly, `closed_${months}`, (r) => r.panel_kind === k);
    return { same, back, closed, reached: same + back + closed, total: decidedAt(k) };
  };
  const compareRows: Array<Array<string | number>> = [
    ["Panels held", ...kinds.map(heldOf)],
    ["Requests decided", ...kinds.map((k) => decidedAt(k))],
    ["Requests decided per panel", ...kinds.map((k) => ratio(decidedAt(k), heldOf(k)))],
    ["Attendance (invited people who came)", ...kinds.map((k) => percent(attended(k), invited(k)))],
    [
      "Median days from submission to decision",
      ...kinds.map(
        (k) =>
          percentileDays(
            durationOf("to_decision", (d) => d.panel_kind === k),
            0.5,
          ) ?? "–",
      ),
    ],
    ...outcomes.map((o) => [
      `${DECISION_LABELS[o as keyof typeof DECISION_LABELS]} (share of decisions)`,
      ...kinds.map((k) =>
        percent(
          decidedAt(k, (r) => r.outcome === o),
          decidedAt(k),
        ),
      ),
    ]),
    ...([3, 6] as const).flatMap((m) => [
      [`${m} months on: still where the panel put them`, ...kinds.map((k) => percent(followUp(k, m).same, followUp(k, m).reached))],
      [`${m} months on: stepped back`, ...kinds.map((k) => percent(followUp(k, m).back, followUp(k, m).reached))],
      [`${m} months on: closed`, ...kinds.map((k) => percent(followUp(k, m).closed, followUp(k, m).reached))],
    ]),
  ];
  const notYet3 = kinds.reduce((s, k) => s + followUp(k, 3).total - followUp(k, 3).reached, 0);
  const notYet6 = kinds.reduce((s, k) => s + followUp(k, 6).total - followUp(k, 6).reached, 0);
  const extraordinaryVersusRoutine = figure(
    {
      id: "extraordinary-versus-routine",
      title: "Extraordinary panels against routine panels",
      counting:
        `Panels that met (concluded or minutes published) in the period; ${plural(
          panels.held.reduce((n, p) => n + p.cancelled, 0),
          "cancelled panel",
        )} left out, their items counted where they were decided. ` +
        `"Months on" is where the case was 3 and 6 months after the decision; left out: ${notYet3} and ${notYet6} decisions too recent to tell.${agencyNote}`,
      columns: ["Measure", "Routine", "Extraordinary"],
      rows: compareRows,
    },
    {
      categories: outcomes.map((o) => DECISION_LABELS[o as keyof typeof DECISION_LABELS]),
      data: outcomes.flatMap((o) =>
        kinds.map((k) => ({
          category: DECISION_LABELS[o as keyof typeof DECISION_LABELS],
          series: PANEL_KIND_LABELS[k],
          value: decidedAt(k) ? Math.round((1000 * decidedAt(k, (r) => r.outcome === o)) / decidedAt(k)) / 10 : 0,
        })),
      ),
      valueLabel: "Share of the panels' decisions (%)",
      plots: "each outcome's share of the decisions at routine and at extraordinary panels (%)",
      layout: "grouped",
      horizontal: true,
    },
  );

  const agencyNames = [...new Set(panels.agencies.map((a) => a.agency))].sort();
  const attendedBy = (agency: string, k: string) => panels.agencies.find((a) => a.agency === agency && a.kind === k)?.panels ?? 0;
  const agencyRows = agencyNames.map((agency) => [
    agency,
    attendedBy(agency, "routine"),
    percent(attendedBy(agency, "routine"), heldOf("routine")),
    attendedBy(agency, "extraordinary"),
    percent(attendedBy(agency, "extraordinary"), heldOf("extraordinary")),
  ]);
  const attendingAgencies = figure(
    {
      id: "attending-agencies",
      title: "Which agencies attended",
      counting: `Panels held at which at least one person from the agency attended in person or online, as recorded by the chair.${agencyNote}`,
      columns: [
        "Agency",
        "Routine panels attended",
        "Share of routine panels",
        "Extraordinary panels attended",
        "Share of extraordinary panels",
      ],
      rows: agencyRows,
    },
    {
      categories: agencyNames,
      data: agencyRows.flatMap((r) => [
        { category: String(r[0]), series: "Routine", value: Number(r[1]) },
        { category: String(r[0]), series: "Extraordinary", value: Number(r[3]) },
      ]),
      valueLabel: "Panels attended",
      plots: "how many routine and how many extraordinary panels each agency attended",
      layout: "grouped",
      horizontal: true,
    },
  );

  // Bounce-back, by area and by service.
  const DIRECTIONS: Record<string, string> = {
    step_down_agreed_early_help: "Stepped down to early help, then up again",
    step_down_agreed_volunteer_support: "Stepped down to volunteer support, then up again",
    step_up_agreed: "Stepped up to social care, then down again",
  };
  const bounceRows = (area: string, outcome: string, rows: typeof bounce) => {
    const pick = rows.filter((r) => r.outcome === outcome);
    const total = (k: keyof (typeof bounce)[number]) => pick.reduce((s, r) => s + Number(r[k]), 0);
    if (!total("decided")) return [];
    return ([3, 6, 12] as const).map((n) => [
      area,
      DIRECTIONS[outcome]!,
      n,
      total(`window_${n}`),
      total(`bounced_${n}`),
      percent(total(`bounced_${n}`), total(`window_${n}`)),
    ]);
  };
  const bounceAreas = [...new Set(bounce.map((r) => r.area))];
  // Every area's steps together: the chart's bars, and the table's last rows when there is more than one area.
  const bounceTotals = Object.keys(DIRECTIONS).flatMap((o) => bounceRows("All areas", o, bounce));
  const allBounceRows = [
    ...bounceAreas.flatMap((area) =>
      Object.keys(DIRECTIONS).flatMap((o) =>
        bounceRows(
          area,
          o,
          bounce.filter((r) => r.area === area),
        ),
      ),
    ),
    ...(bounceAreas.length > 1 ? bounceTotals : []),
  ];
  const windowLeftOut = (n: 3 | 6 | 12) => bounce.reduce((s, r) => s + Number(r.decided) - Number(r[`window_${n}` as keyof typeof r]), 0);
  const bounceBack = figure(
    {
      id: "bounce-back",
      title: "Bounce-back: stepped down and up again, or up and down again",
      counting:
        `Counted per agreed step (a child who bounced twice counts twice), by the month of the decision; "back" means the case next entered the other side of the threshold, by any route. ` +
        `Each share is of the steps whose 3, 6 or 12 months have passed; left out as too recent: ${windowLeftOut(3)}, ${windowLeftOut(6)} and ${windowLeftOut(12)}.`,
      columns: ["Area", "Step", "Months", "Steps whose months have passed", "Back within those months", "Share back"],
      rows: allBounceRows,
    },
    {
      categories: [...new Set(bounceTotals.map((r) => String(r[1])))],
      data: bounceTotals.map((r) => ({
        category: String(r[1]),
        series: `Within ${r[2]} months`,
        value: Number(String(r[5]).replace("%", "")) || 0,
      })),
      valueLabel: "Share back (%)",
      plots: "the share of agreed steps back across the threshold within 3, 6 and 12 months, all areas in the filter together (%)",
      layout: "grouped",
      horizontal: true,
    },
  );

  // Whether the step downs worked: what each review found, the causes behind bounce-back.
  const engaged = await engagementCounts(deps.db, { ...period, areaId: scope.areaId });
  const reviewed = engaged.reduce((sum, r) => sum + r.n, 0);
  const engagement = figure(
    {
      id: "step-down-engagement",
      title: "After a step down: how families engaged, as their review found",
      counting:
        `Step downs decided in the period whose review is recorded (${plural(reviewed, "review")}), by what the lead practitioner found.` +
        (scope.agencyId ? " Reviews are not filtered by agency." : ""),
      columns: ["How the family engaged", "Step downs reviewed", "Share of those reviewed"],
      rows: ENGAGEMENT_OUTCOMES.map((o) => {
        const n = engaged.find((r) => r.outcome === o)?.n ?? 0;
        return [ENGAGEMENT_LABELS[o], n, percent(n, reviewed)];
      }),
    },
    null,
  );

  // Whether hand-overs happen on the clocks the area set: each step's action, done by its due date or not.
  const handovers = await handoverTimeliness(deps.db, { ...period, areaId: scope.areaId, today });
  const HANDOVER_STEPS = { name_lead: "Name the lead practitioner", transfer: "Transfer meeting or joint visit" } as const;
  const handoverFigure = figure(
    {
      id: "handover-timeliness",
      title: "Hand-overs after a step down: steps done on time, late, or overdue today",
      counting:
        "Each hand-over step started in the period (naming the lead practitioner, the transfer meeting or joint visit), by whether its action was done by the due date the area's clocks set." +
        (scope.agencyId ? " Hand-overs are not filtered by agency." : ""),
      columns: ["Hand-over step", "Started", "Done on time", "Done late", "Overdue today"],
      rows: (Object.keys(HANDOVER_STEPS) as Array<keyof typeof HANDOVER_STEPS>).map((step) => {
        const r = handovers.find((h) => h.step === step);
        return [HANDOVER_STEPS[step], r?.started ?? 0, r?.on_time ?? 0, r?.late ?? 0, r?.overdue ?? 0];
      }),
    },
    null,
  );

  // Requests the chair sent back to their requester before listing them, and how long answers took.
  const questions = await questionTimes(deps.db, { ...period, areaId: scope.areaId });
  const hours = (h: number | null) => (h === null ? "–" : h);
  const returnedFigure = figure(
    {
      id: "returned-before-panel",
      title: "Requests returned to the requester before the panel, and how long answers took",
      counting:
        "Questions the chair asked a requester while sorting requests before a panel, asked in the period; hours from the question to the answer." +
        (scope.agencyId ? " Questions are not filtered by agency." : ""),
      columns: ["Asked", "Answered", "Still waiting", "Median hours to answer", "Longest hours to answer"],
      rows: [[questions.asked, questions.answered, questions.waiting, hours(questions.median_hours), hours(questions.longest_hours)]],
    },
    null,
  );

  // Waiting work, as it stands today.
  const BANDS: Array<[string, number, number]> = [
    ["Under 2 weeks", 0, 14],
    ["2 to 4 weeks", 14, 28],
    ["4 to 8 weeks", 28, 56],
    ["8 weeks or more", 56, Infinity],
  ];
  const awaitingRows = (["step_up", "step_down"] as const).map((kind) => {
    const waits = awaiting.filter((r) => r.kind === kind);
    const count = (lo: number, hi: number) => waits.filter((w) => w.days >= lo && w.days < hi).reduce((n, w) => n + w.n, 0);
    return [
      kind === "step_up" ? "Step up" : "Step down",
      ...BANDS.map(([, lo, hi]) => count(lo, hi)),
      count(-Infinity, Infinity),
      waits.length ? Math.max(...waits.map((w) => w.days)) : "–",
    ];
  });
  const awaitingFigure = figure(
    {
      id: "awaiting-panel",
      title: "Requests awaiting a panel, and for how long",
      counting:
        "Submitted requests not yet decided, withdrawn or sent to the front door, today; whole UK days since submission. Drafts are left out.",
      columns: ["Request", ...BANDS.map(([label]) => label), "Total", "Longest wait (days)"],
      rows: awaitingRows,
    },
    {
      categories: BANDS.map(([label]) => label),
      data: awaitingRows.flatMap((r) => BANDS.map(([label], i) => ({ category: label, series: String(r[0]), value: Number(r[1 + i]) }))),
      valueLabel: "Requests",
      plots: "requests awaiting a panel today by how long they have waited, step up and step down stacked",
      layout: "stacked",
    },
  );

  const overdueAgencies = overdue.map((a) => a.agency);
  const overdueRows = overdue.map((a) => [a.agency, a.n, a.longest]);
  const overdueFigure = figure(
    {
      id: "overdue-actions",
      title: "Actions overdue, by the owner's agency",
      counting: "Open actions whose due date has passed, today, by the agency of the one person who owns each.",
      columns: ["Agency", "Overdue actions", "Longest overdue (days)"],
      rows: overdueRows,
    },
    {
      categories: overdueAgencies,
      data: overdueRows.map((r) => ({ category: String(r[0]), series: "Overdue", value: Number(r[1]) })),
      valueLabel: "Overdue actions",
      plots: "overdue actions today by the owner's agency",
      layout: "stacked",
      horizontal: true,
    },
  );

  const categories = Object.keys(CATEGORY_LABELS) as Array<keyof typeof CATEGORY_LABELS>;
  const stages = ["raised", ...Object.keys(STAGE_LABELS)];
  const stageLabel = (s: string) => (s === "raised" ? "Raised, not yet at a stage" : STAGE_LABELS[s as keyof typeof STAGE_LABELS]);
  const openRows = stages
    .map((stage) => {
      const here = open.filter((c) => c.status === stage);
      const count = (cat?: string) => here.filter((c) => !cat || c.category === cat).reduce((n, c) => n + c.n, 0);
      return [
        stageLabel(stage),
        ...categories.map((cat) => count(cat)),
        count(),
        here.length ? Math.max(...here.map((c) => c.longest)) : "–",
      ];
    })
    .filter((r) => Number(r[categories.length + 1]) > 0);
  const openFigure = figure(
    {
      id: "open-challenges",
      title: "Challenges open, by stage and category",
      counting: "Professional challenges not yet resolved, withdrawn or sent to the front door, today; days open since raised.",
      columns: ["Stage", ...categories.map((c) => CATEGORY_LABELS[c]), "Total", "Longest open (days)"],
      rows: openRows,
    },
    {
      categories: openRows.map((r) => String(r[0])),
      data: openRows.flatMap((r) =>
        categories.map((cat, i) => ({ category: String(r[0]), series: CATEGORY_LABELS[cat], value: Number(r[1 + i]) })),
      ),
      valueLabel: "Open challenges",
      plots: "open challenges by stage, each category stacked",
      layout: "stacked",
      horizontal: true,
    },
  );

  // Challenge outcomes, for challenges raised in the period.
  const outcomeRow = (label: string, row: (typeof outcomesOfChallenges)[number] | undefined) => [
    label,
    row?.raised ?? 0,
    decidedTotal ? Number(((100 * (row?.raised ?? 0)) / decidedTotal).toFixed(1)) : "–",
    row?.resolved ?? 0,
    row?.median ?? "–",
    percent(row?.changed ?? 0, row?.resolved ?? 0),
  ];
  const challengeRow = (by: "category" | "agency" | "all", name: string | null) =>
    outcomesOfChallenges.find((r) => r.by === by && (by === "all" || r.name === name));
  const challengeColumns = [
    "Raised per 100 decisions",
    "Resolved",
    "Median days to resolution",
    "Resolved by a changed decision (share of resolved)",
  ];
  const byCategoryRows = [
    ...categories.map((cat) => outcomeRow(CATEGORY_LABELS[cat], challengeRow("category", cat))),
    outcomeRow("All categories", challengeRow("all", null)),
  ].filter((r) => Number(r[1]) > 0 || r[0] === "All categories");
  const challengeOutcomes = figure(
    {
      id: "challenge-outcomes",
      title: "Challenge outcomes, by category",
      counting: `Challenges raised in the period, against the ${decidedTotal} requests decided in it; days to resolution are calendar days from raised to resolved. Open and withdrawn challenges count as raised but not resolved.`,
      columns: ["Category", "Raised", ...challengeColumns],
      rows: byCategoryRows,
    },
    {
      categories: byCategoryRows.filter((r) => r[0] !== "All categories").map((r) => String(r[0])),
      data: byCategoryRows
        .filter((r) => r[0] !== "All categories")
        .map((r) => ({ category: String(r[0]), series: "Raised per 100 decisions", value: Number(r[2]) || 0 })),
      valueLabel: "Raised per 100 decisions",
      plots: "challenges raised per 100 decisions, by category",
      layout: "stacked",
      horizontal: true,
    },
  );
  const raisingAgencies = outcomesOfChallenges
    .filter((r) => r.by === "agency")
    .map((r) => r.name!)
    .sort();
  const byAgencyRows = raisingAgencies.map((agency) => outcomeRow(agency, challengeRow("agency", agency)));
  const challengesByAgency = figure(
    {
      id: "challenges-by-agency",
      title: "Challenge outcomes, by the raising agency",
      counting: `Challenges raised in the period by each agency, against all ${decidedTotal} requests decided in it.`,
      columns: ["Agency", "Raised", ...challengeColumns],
      rows: byAgencyRows,
    },
    {
      categories: raisingAgencies,
      data: byAgencyRows.map((r) => ({ category: String(r[0]), series: "Raised", value: Number(r[1]) })),
      valueLabel: "Challenges raised",
      plots: "challenges raised by each raising agency",
      layout: "stacked",
      horizontal: true,
    },
  );

  // Slot lengths: how long items really took at panels run live, against their planned slots.
  const minutesOf = (i: (typeof timed)[number]) =>
    Math.round((new Date(i.ended_at!).getTime() - new Date(i.started_at!).getTime()) / 60_000);
  const slotRows = kinds.flatMap((k) =>
    (["step_up", "step_down"] as const).flatMap((kind) => {
      const here = timed.filter((i) => i.panel_kind === k && i.kind === kind);
      if (!here.length) return [];
      const actual = here.map((i) => ({ days: minutesOf(i), n: 1 }));
      return [
        [
          PANEL_KIND_LABELS[k],
          kind === "step_up" ? "Step up" : "Step down",
          here.length,
          percentileDays(
            here.map((i) => ({ days: i.slot_minutes, n: 1 })),
            0.5,
          )!,
          percentileDays(actual, 0.5)!,
          percentileDays(actual, 0.9)!,
          percent(here.filter((i) => minutesOf(i) > i.slot_minutes).length, here.length),
        ],
      ];
    }),
  );
  const overrunByPanel = new Map<number, { kind: string; minutes: number }>();
  for (const i of timed) {
    const past = Math.round((new Date(i.ended_at!).getTime() - new Date(i.panel_ends_at).getTime()) / 60_000);
    const seen = overrunByPanel.get(i.panel_id);
    if (!seen || past > seen.minutes) overrunByPanel.set(i.panel_id, { kind: i.panel_kind, minutes: past });
  }
  const overrunRows = kinds.flatMap((k) => {
    const here = [...overrunByPanel.values()].filter((p) => p.kind === k).map((p) => p.minutes);
    if (!here.length) return [];
    return [
      [
        PANEL_KIND_LABELS[k],
        here.length,
        percentileDays(
          here.map((m) => ({ days: m, n: 1 })),
          0.5,
        )!,
        Math.max(...here),
      ],
    ];
  });
  const slotLengths = figure(
    {
      id: "slot-lengths",
      title: "Slot lengths: planned against actual minutes per item",
      counting: `Items whose start and end the chair recorded on the chairing page at panels that met in the period (${plural(timed.length, "item")}); minutes from start to end, medians and 90th percentiles exact. Items at panels not run live are left out.`,
      columns: [
        "Panel",
        "Request",
        "Items timed",
        "Planned slot (median minutes)",
        "Actual (median minutes)",
        "Actual (90th percentile)",
        "Over their slot",
      ],
      rows: slotRows,
    },
    {
      categories: slotRows.map((r) => `${r[0]}: ${r[1]}`),
      data: slotRows.flatMap((r) => [
        { category: `${r[0]}: ${r[1]}`, series: "Planned", value: Number(r[3]) },
        { category: `${r[0]}: ${r[1]}`, series: "Actual (median)", value: Number(r[4]) },
      ]),
      valueLabel: "Minutes",
      plots: "planned minutes against the median actual minutes per item, by kind of panel and request",
      layout: "grouped",
      horizontal: true,
    },
  );
  const panelOverruns = figure(
    {
      id: "panel-overruns",
      title: "Panels running past their planned end",
      counting:
        "For each panel run live in the period: minutes from its planned end to the end of its last item (negative: finished early).",
      columns: ["Panel", "Panels timed", "Median minutes past the planned end", "Most minutes past the planned end"],
      rows: overrunRows,
    },
    null,
  );

  const headline = [
    { label: "Requests decided", value: decidedTotal },
    { label: "Panels held", value: `${heldOf("routine") + heldOf("extraordinary")} (${heldOf("extraordinary")} extraordinary)` },
    { label: "Deferred more than once before a decision", value: deferredTwice },
    { label: "Requests awaiting a panel today", value: awaiting.reduce((n, w) => n + w.n, 0) },
    { label: "Actions overdue today", value: overdue.reduce((n, a) => n + a.n, 0) },
    { label: "Challenges open today", value: open.reduce((n, c) => n + c.n, 0) },
  ];
  return {
    scope,
    headline,
    refreshedAt: state?.refreshed_at ?? null,
    sections: [
      { title: "Flow", figures: [requestsPerPanel, decisionsByOutcome, times] },
      { title: "Extraordinary against routine panels", figures: [extraordinaryVersusRoutine, attendingAgencies] },
      { title: "Bounce-back", figures: [bounceBack, engagement, handoverFigure] },
      { title: "Waiting work", figures: [awaitingFigure, returnedFigure, overdueFigure, openFigure] },
      { title: "Challenge outcomes", figures: [challengeOutcomes, challengesByAgency] },
      { title: "Slot lengths", figures: [slotLengths, panelOverruns] },
    ],
  };
}

export type InsightDashboard = Awaited<ReturnType<typeof insightDashboard>>;

export function figureCsv(figure: Pick<Figure, "columns" | "rows">): string {
  return toCsv(figure.columns, figure.rows);
}

/** The filter choices a person may make: areas they act for, every agency. */
export async function insightOptions(deps: Deps, actor: Actor) {
  const scoped = insightAreasFor(actor.user);
  const [areas, agencies] = await Promise.all([listAreas(deps.db), listAgencies(deps.db)]);
  return {
    allAreas: scoped === null,
    areas: areas.filter((a) => scoped === null || scoped.includes(a.id)).map((a) => ({ value: String(a.id), label: a.name })),
    agencies: agencies.map((a) => ({ value: String(a.id), label: a.name })),
  };
}

/** Brings the summary tables up to date (the worker does this; the seed and tests call it directly). */
export async function refreshInsight(deps: Deps, options: { full?: boolean } = {}) {
  const now = deps.clock.now();
  return deps.db.transaction().execute((trx) => refreshInsightTables(trx, now, ukDate(now), options));
}
