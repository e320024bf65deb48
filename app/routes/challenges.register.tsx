import { CATEGORY_LABELS, RESOLUTION_LABELS } from "../lib/labels";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Button, Select, Tag, Table } from "../components/govuk";
import { formatDate } from "../lib/dates";
import { actorMay } from "../services/authorise.server";
import { challengeRegister, registerFilters } from "../services/challenges.server";
import { organisationOptions } from "../services/admin.server";
import { type ChallengeState } from "../../machines/challenge/challenge.machine";
import { CHALLENGE_STATE_LABELS } from "../lib/state-labels";

export const meta: MetaFunction = () => [{ title: "Challenge register – Threshold" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const register = await challengeRegister(context, actor, registerFilters(params));
  const options = await organisationOptions(context);
  const query = new URLSearchParams(Object.entries(params).filter(([k, v]) => k !== "format" && v)).toString();
  return json({
    values: params,
    csvHref: `/challenges/register.csv${query ? `?${query}` : ""}`,
    areas: options.areas.map((a) => ({ value: String(a.id), label: a.name })),
    agencies: options.agencies.map((a) => ({ value: String(a.id), label: a.name })),
    rows: register.rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      area: r.area_name,
      agency: r.agency_name,
      category: CATEGORY_LABELS[r.category],
      status: CHALLENGE_STATE_LABELS[r.status as ChallengeState],
      overdue: r.overdue,
      outcome: r.resolution ? RESOLUTION_LABELS[r.resolution as keyof typeof RESOLUTION_LABELS] : "",
      // Someone always holds the risk while a challenge is open.
      riskHolder: r.closed_at ? "" : r.risk_holder,
      raised: formatDate(r.created_at),
      daysOpen: r.days_open,
    })),
    byCategory: register.byCategory.map(([k, n]) => ({ label: CATEGORY_LABELS[k as keyof typeof CATEGORY_LABELS] ?? k, count: n })),
    byAgency: register.byAgency.map(([k, n]) => ({ label: k, count: n })),
  });
}

export default function Register() {
  const data = useLoaderData<typeof loader>();
  const v = data.values as Record<string, string>;
  return (
    <>
      <h1 className="govuk-heading-l">Challenge register</h1>
      <Form method="get" className="register-filters">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-third">
            <Select name="area" label="Area" placeholder="All areas" options={data.areas} defaultValue={v.area ?? ""} />
            <Select
              name="agency"
              label="Raised by agency"
              placeholder="All agencies"
              options={data.agencies}
              defaultValue={v.agency ?? ""}
            />
          </div>
          <div className="govuk-grid-column-one-third">
            <Select
              name="status"
              label="Stage or status"
              placeholder="Any"
              options={[
                { value: "open", label: "Open (any stage)" },
                ...Object.entries(CHALLENGE_STATE_LABELS).map(([value, label]) => ({ value, label })),
              ]}
              defaultValue={v.status ?? ""}
            />
            <Select
              name="category"
              label="Category"
              placeholder="Any"
              options={Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label }))}
              defaultValue={v.category ?? ""}
            />
          </div>
          <div className="govuk-grid-column-one-third">
            <Select
              name="overdue"
              label="Overdue"
              placeholder="Either"
              options={[
                { value: "yes", label: "Overdue" },
                { value: "no", label: "Not overdue" },
              ]}
              defaultValue={v.overdue ?? ""}
            />
            <Select
              name="outcome"
              label="Outcome"
              placeholder="Any"
              options={Object.entries(RESOLUTION_LABELS).map(([value, label]) => ({ value, label }))}
              defaultValue={v.outcome ?? ""}
            />
          </div>
        </div>
        <Button secondary>Apply filters</Button>
      </Form>
      <p className="govuk-body">
        {data.rows.length} challenge{data.rows.length === 1 ? "" : "s"}.{" "}
        <a className="govuk-link" href={data.csvHref} download>
          Download as CSV
        </a>
      </p>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <h2 className="govuk-heading-s">By category</h2>
          <ul className="govuk-list">
            {data.byCategory.map((c) => (
              <li key={c.label}>
                {c.label}: <strong>{c.count}</strong>
              </li>
            ))}
          </ul>
        </div>
        <div className="govuk-grid-column-one-half">
          <h2 className="govuk-heading-s">By agency raising</h2>
          <ul className="govuk-list">
            {data.byAgency.map((c) => (
              <li key={c.label}>
                {c.label}: <strong>{c.count}</strong>
              </li>
            ))}
          </ul>
        </div>
      </div>
      <Table
        caption="Challenges"
        rows={data.rows}
        rowKey={(r) => r.id}
        columns={[
          {
            header: "Case",
            cell: (r) => (
              <>
                <a className="govuk-link" href={`/challenges/${r.id}`}>
                  {r.reference}
                </a>
              </>
            ),
          },
          { header: "Area", cell: (r) => r.area },
          { header: "Raised by", cell: (r) => r.agency },
          { header: "About", cell: (r) => r.category },
          {
            header: "Status",
            cell: (r) => (
              <>
                {r.status} {r.overdue ? <Tag colour="red">Overdue</Tag> : null}
              </>
            ),
          },
          { header: "Risk held by (while open)", cell: (r) => r.riskHolder },
          { header: "Outcome", cell: (r) => r.outcome },
          { header: "Days open", cell: (r) => r.daysOpen, numeric: true },
        ]}
      />
    </>
  );
}
