import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Tag, Table } from "../components/govuk";
import { formatDateTime } from "../lib/dates";
import { actorMay } from "../services/authorise.server";
import { statusLabel } from "../services/case-journey.server";
import { mySubmissions } from "../services/requests.server";
import { kindName } from "../lib/request-kind";

export const meta: MetaFunction = () => [{ title: "My submissions – Threshold" }];

const REQUEST_STATUS: Record<string, { label: string; colour: string }> = {
  draft: { label: "Draft", colour: "grey" },
  awaiting_panel: { label: "Awaiting panel", colour: "blue" },
  decided: { label: "Decided", colour: "green" },
  withdrawn: { label: "Withdrawn", colour: "grey" },
  front_door: { label: "Sent to front door", colour: "red" },
};

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const rows = await mySubmissions(context, actor);
  return json({
    rows: rows.map((r) => ({
      id: r.id,
      kind: kindName(r.kind, { capital: true }),
      status: r.status,
      reference: r.reference,
      caseState: r.case_status ? statusLabel(r.case_status) : null,
      bounceBack: r.bounce_back,
      lastChange: formatDateTime(r.updated_at),
      panel: r.panel_id && r.panel_starts_at ? { id: r.panel_id, when: formatDateTime(r.panel_starts_at) } : null,
    })),
  });
}

export default function Submissions() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">My submissions</h1>
      <a href="/requests/new" className="govuk-button" role="button" draggable="false">
        Submit a case
      </a>
      {rows.length === 0 ? (
        <p className="govuk-body">You have not submitted any cases yet.</p>
      ) : (
        <Table
          caption="Your requests to panels"
          rows={rows}
          rowKey={(r) => r.id}
          columns={[
            {
              header: "Reference",
              cell: (r) => (
                <>
                  {r.reference ? (
                    <a className="govuk-link" href={`/cases/${r.reference}`}>
                      {r.reference}
                    </a>
                  ) : (
                    <a className="govuk-link" href={`/requests/${r.id}/child`}>
                      Continue draft<span className="govuk-visually-hidden"> {r.id}</span>
                    </a>
                  )}
                  {r.bounceBack ? (
                    <>
                      {" "}
                      <Tag colour="orange">Bounce back</Tag>
                    </>
                  ) : null}
                </>
              ),
            },
            { header: "Type", cell: (r) => r.kind },
            {
              header: "Request",
              cell: (r) => (
                <>
                  <Tag colour={REQUEST_STATUS[r.status].colour}>{REQUEST_STATUS[r.status].label}</Tag>
                </>
              ),
            },
            { header: "Case is now", cell: (r) => r.caseState ?? "–" },
            { header: "Panel date", cell: (r) => (r.panel ? r.panel.when : r.status === "awaiting_panel" ? "Not yet on a panel" : "–") },
            { header: "Last change", cell: (r) => r.lastChange },
          ]}
        />
      )}
    </>
  );
}
