import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { DateTime } from "luxon";
import { Button, ErrorSummary, Select, SummaryList, Table } from "../components/govuk";
import { formatDateTime, todayIn } from "../lib/dates";
import { may } from "../lib/policy";
import { actorMay } from "../services/authorise.server";
import { insightDashboard, insightFilters, insightOptions } from "../services/insight.server";

export const meta: MetaFunction = () => [{ title: "Insight – Threshold" }];

const FILTER_NAMES = ["from", "to", "area", "agency"];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const actor = actorMay(context, "readInsight");
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([k]) => FILTER_NAMES.includes(k)));
  const today = todayIn(context);
  const { filters, errors } = insightFilters(params, today);
  const [dashboard, options] = await Promise.all([insightDashboard(context, actor, filters), insightOptions(context, actor)]);
  // The address of what is shown: the same filters for every CSV.
  const shown = new URLSearchParams({
    from: filters.from,
    to: filters.to,
    ...(dashboard.scope.areaId ? { area: String(dashboard.scope.areaId) } : {}),
    ...(filters.agency ? { agency: String(filters.agency) } : {}),
  }).toString();
  const months: Array<{ value: string; label: string }> = [];
  for (let m = DateTime.fromISO(`${today.slice(0, 7)}-01`), i = 0; i < 72; i++, m = m.minus({ months: 1 })) {
    months.push({ value: m.toFormat("yyyy-MM"), label: m.toFormat("MMMM yyyy") });
  }
  const hasErrors = Object.keys(errors).length > 0;
  return json(
    {
      values: hasErrors
        ? params
        : { from: filters.from, to: filters.to, area: String(dashboard.scope.areaId || ""), agency: String(filters.agency || "") },
      errors: hasErrors ? errors : undefined,
      shown,
      months,
      options,
      censusReturn: may(actor.user, "exportCensusReturn"),
      headline: dashboard.headline,
      refreshedAt: dashboard.refreshedAt ? formatDateTime(dashboard.refreshedAt) : null,
      sections: dashboard.sections,
    },
    { status: hasErrors ? 400 : 200, headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function Insight() {
  const data = useLoaderData<typeof loader>();
  const v = data.values as Record<string, string>;
  return (
    <>
      <ErrorSummary errors={data.errors} />
      <h1 className="govuk-heading-l">Insight</h1>
      <p className="govuk-body">
        Figures for the period chosen, each with the table it is drawn from and a CSV of that table. Counts only: no child is named here.
        {data.refreshedAt ? ` Period figures as at ${data.refreshedAt}; waiting work is as it stands now.` : ""}
      </p>
      <Form method="get" className="insight-filters">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-quarter">
            <Select name="from" label="From" options={data.months} defaultValue={v.from} error={data.errors?.from} />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <Select name="to" label="To" options={data.months} defaultValue={v.to} error={data.errors?.to} />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <Select
              name="area"
              label="Area"
              options={data.options.areas}
              placeholder={data.options.allAreas ? "All areas" : undefined}
              defaultValue={v.area}
              error={data.errors?.area}
            />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <Select
              name="agency"
              label="Requesting agency"
              options={data.options.agencies}
              placeholder="All agencies"
              defaultValue={v.agency}
              error={data.errors?.agency}
            />
          </div>
        </div>
        <Button>Show figures</Button>
      </Form>
      <SummaryList rows={data.headline.map((h) => ({ key: h.label, value: String(h.value) }))} />
      {data.censusReturn ? (
        <p className="govuk-body no-print">
          <a className="govuk-link" href={`/insight/census-return.csv?${data.shown}`} download>
            Download the Children in Need census return for this period (CSV)
          </a>
          {" · "}
          <a className="govuk-link" href={`/insight/early-help-episodes.csv?${data.shown}`} download>
            Download the early help episodes for this period, in the Standard Safeguarding Dataset&apos;s shape (CSV)
          </a>
        </p>
      ) : null}
      {data.sections.map((section) => (
        <section key={section.title} aria-labelledby={`section-${section.title}`}>
          <h2 className="govuk-heading-m" id={`section-${section.title}`}>
            {section.title}
          </h2>
          {section.figures.map((f) => (
            <div key={f.id} className="insight-figure" id={f.id}>
              <h3 className="govuk-heading-s">{f.title}</h3>
              <p className="govuk-body-s insight-figure__counting">{f.counting}</p>
              <div className="insight-figure__body">
                {f.chart ? (
                  // Drawn on the server from the rows in the table beside it; the table is the source of truth.
                  <div className="insight-chart" dangerouslySetInnerHTML={{ __html: f.chart }} />
                ) : (
                  <p className="govuk-body insight-chart insight-chart--empty">Nothing to chart for this period.</p>
                )}
                <Table
                  caption={f.title}
                  columns={f.columns.map((header, i) => ({
                    header,
                    numeric: f.rows.length > 0 && f.rows.every((row) => typeof row[i] === "number" || /^([\d.]+%|–)$/.test(String(row[i]))),
                    cell: (row: Array<string | number>) => String(row[i]),
                  }))}
                  rows={f.rows}
                  rowKey={(_, i) => i}
                />
                {f.rows.length === 0 ? <p className="govuk-body">None in this period.</p> : null}
              </div>
              <p className="govuk-body-s no-print">
                <a className="govuk-link" href={`/insight/${f.id}.csv?${data.shown}`} download>
                  Download this table (CSV)<span className="govuk-visually-hidden">: {f.title}</span>
                </a>
              </p>
            </div>
          ))}
        </section>
      ))}
    </>
  );
}
