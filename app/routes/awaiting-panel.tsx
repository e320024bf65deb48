import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Tag, Table } from "../components/govuk";
import { formatDateTime } from "../lib/dates";
import { actorMay } from "../services/authorise.server";
import { awaitingPanelQueue } from "../services/requests.server";
import { kindName } from "../lib/request-kind";

export const meta: MetaFunction = () => [{ title: "Awaiting panel – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const rows = await awaitingPanelQueue(context, actor);
  return json({
    rows: rows.map(({ child_first_name, child_last_name, ...r }) => ({
      ...r,
      childName: [child_first_name, child_last_name].filter(Boolean).join(" ") || "Not recorded",
      submitted_at: r.submitted_at ? formatDateTime(r.submitted_at) : "",
    })),
  });
}

export default function AwaitingPanel() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Requests awaiting a panel</h1>
      <p className="govuk-body">
        {rows.length === 1 ? "1 request is" : `${rows.length} requests are`} waiting, oldest first. Step-downs waiting:{" "}
        <strong>{rows.filter((r) => r.kind === "step_down").length}</strong>.
      </p>
      <Table
        caption="Requests awaiting a panel"
        rows={rows}
        rowKey={(r) => r.id}
        columns={[
          {
            header: "Reference",
            cell: (r) => (
              <>
                <a className="govuk-link" href={`/cases/${r.reference}`}>
                  {r.reference}
                </a>
                {r.bounce_back ? (
                  <>
                    {" "}
                    <Tag colour="orange">Bounce back</Tag>
                  </>
                ) : null}
              </>
            ),
          },
          { header: "Child", cell: (r) => r.childName },
          { header: "Type", cell: (r) => <>{kindName(r.kind, { capital: true })}</> },
          { header: "Area", cell: (r) => r.area_name },
          {
            header: "Requested by",
            cell: (r) => (
              <>
                {r.submitted_by}, {r.agency_name}
              </>
            ),
          },
          { header: "Sent", cell: (r) => r.submitted_at },
        ]}
      />
    </>
  );
}
