import { casesIn, requestIdIn } from "../../domain/audit";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Button, DateInput, ErrorSummary, Select, Table, TextInput } from "../components/govuk";
import { auditDateParts, auditFilterSchema } from "../forms/audit";
import { formatDateTime } from "../lib/dates";
import { validate } from "../lib/validation";
import { actorMay } from "../services/authorise.server";
import { viewAuditTrail } from "../services/audit-trail.server";

export const meta: MetaFunction = () => [{ title: "Audit trail – Threshold" }];

const FILTERS = ["person", "reference", "action", "from", "to", "fromDay", "fromMonth", "fromYear", "toDay", "toMonth", "toYear"];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const actor = actorMay(context, "readAuditTrail");
  const values = Object.fromEntries([...new URL(request.url).searchParams].filter(([k]) => FILTERS.includes(k)));
  const parsed = validate(auditFilterSchema, values);
  // Filters that cannot be read are shown next to their fields, with nothing filtered by them.
  const trail = await viewAuditTrail(context, actor, parsed.ok ? parsed.data : {});
  // The CSV takes the same filters, its days as ISO dates.
  const query = parsed.ok
    ? new URLSearchParams(Object.entries(parsed.data).flatMap(([k, v]) => (v === undefined || v === "" ? [] : [[k, String(v)]]))).toString()
    : "";
  return json({
    values: auditDateParts(values),
    errors: parsed.ok ? undefined : parsed.errors,
    csvHref: `/audit.csv${parsed.ok && query ? `?${query}` : ""}`,
    more: trail.more,
    actions: trail.actions.map((a) => ({ value: a, label: a })),
    people: trail.people.map((p) => ({ value: String(p.id), label: `${p.name} (${p.email})` })),
    rows: trail.rows.map((r) => {
      return {
        id: r.id,
        at: formatDateTime(r.at),
        who: r.actor_name ?? "Nobody signed in",
        action: r.action,
        record: r.record_type ? `${r.record_type} ${r.record_id ?? ""}`.trim() : "",
        cases: casesIn(r.detail).join(", "),
        ip: r.ip ?? "",
        requestId: requestIdIn(r.detail),
      };
    }),
  });
}

export default function AuditTrail() {
  const data = useLoaderData<typeof loader>();
  const v = data.values as Record<string, string>;
  return (
    <>
      <ErrorSummary errors={data.errors} labels={{ from: "fromDay", to: "toDay" }} />
      <h1 className="govuk-heading-l">Audit trail</h1>
      <p className="govuk-body">
        Every sign-in, every read of a page or file showing case details, every change and every refused request. Rows cannot be changed or
        removed; <code>npm run audit:verify</code> checks that none has been.
      </p>
      <Form method="get">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-half">
            <Select
              name="person"
              label="Person"
              placeholder="Anyone"
              options={data.people}
              defaultValue={v.person ?? ""}
              error={data.errors?.person}
            />
            <TextInput
              name="reference"
              label="Case reference"
              width="10"
              spellCheck={false}
              defaultValue={v.reference ?? ""}
              error={data.errors?.reference}
            />
            <Select
              name="action"
              label="Action"
              placeholder="Any"
              options={data.actions}
              defaultValue={v.action ?? ""}
              error={data.errors?.action}
            />
          </div>
          <div className="govuk-grid-column-one-half">
            <DateInput
              prefix="from"
              legend="From (first day)"
              hint="For example, 1 11 2026"
              values={v}
              error={data.errors?.fromDay ?? data.errors?.from}
            />
            <DateInput
              prefix="to"
              legend="To (last day)"
              hint="For example, 30 11 2026"
              values={v}
              error={data.errors?.toDay ?? data.errors?.to}
            />
          </div>
        </div>
        <Button secondary>Apply filters</Button>
      </Form>
      <p className="govuk-body">
        {`${data.rows.length} ${data.rows.length === 1 ? "entry" : "entries"}${data.more ? " (the newest; narrow the filters or download the CSV for all)" : ""}. `}
        <a className="govuk-link" href={data.csvHref} download>
          Download as CSV
        </a>
      </p>
      <Table
        caption="Audit entries, newest first"
        rows={data.rows}
        rowKey={(r) => String(r.id)}
        columns={[
          { header: "When", cell: (r) => r.at },
          { header: "Who", cell: (r) => r.who },
          { header: "Action", cell: (r) => r.action },
          { header: "Record", cell: (r) => r.record },
          { header: "Cases shown", cell: (r) => r.cases },
          { header: "From", cell: (r) => r.ip },
          { header: "Request", cell: (r) => <span className="govuk-body-s">{r.requestId}</span> },
        ]}
      />
    </>
  );
}
