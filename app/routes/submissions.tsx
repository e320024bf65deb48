import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Tag, Table } from "../components/govuk";
import { formatDateTime } from "../lib/dates";
import { actorMay } from "../services/authorise.server";
import { statusLabel } from "../services/case-journey.server";
import { draftChild, draftName, mySubmissions } from "../services/requests.server";
import { NotificationBanner } from "../components/govuk";
import { kindName } from "../lib/request-kind";

export const meta: MetaFunction = () => [{ title: "My submissions – Threshold" }];

const REQUEST_STATUS: Record<string, { label: string; colour: string }> = {
  draft: { label: "Draft", colour: "grey" },
  awaiting_panel: { label: "Awaiting panel", colour: "blue" },
  decided: { label: "Decided", colour: "green" },
  withdrawn: { label: "Withdrawn", colour: "grey" },
  front_door: { label: "Sent to front door", colour: "red" },
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const rows = await mySubmissions(context, actor);
  return json({
    deleted: new URL(request.url).searchParams.has("deleted"),
    rows: rows.map((r) => ({
      id: r.id,
      draft: r.status === "draft" ? draftName(r.kind, r.draft_answers ?? {}) : null,
      child:
        r.status === "draft"
          ? (draftChild(r.draft_answers ?? {}) ?? "Not named yet")
          : [r.child_first_name, r.child_last_name].filter(Boolean).join(" ") || "Not recorded",
      kind: kindName(r.kind, { capital: true }),
      status: r.status,
      reference: r.reference,
      caseState: r.case_status ? statusLabel(r.case_status) : null,
      bounceBack: r.bounce_back,
      questionOpen: r.question_open,
      lastChange: formatDateTime(r.updated_at),
      panel: r.panel_id && r.panel_starts_at ? { id: r.panel_id, when: formatDateTime(r.panel_starts_at) } : null,
    })),
  });
}

export default function Submissions() {
  const { rows, deleted } = useLoaderData<typeof loader>();
  return (
    <>
      {deleted ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">Your draft has been deleted</p>
        </NotificationBanner>
      ) : null}
      <h1 className="govuk-heading-l">My submissions</h1>
      <p className="govuk-body">Drafts you have not sent are deleted 30 days after you last changed them.</p>
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
                    <>
                      <a className="govuk-link" href={`/requests/${r.id}/child`}>
                        Continue draft<span className="govuk-visually-hidden">: {r.draft}</span>
                      </a>
                      <br />
                      <a className="govuk-link" href={`/requests/${r.id}/delete`}>
                        Delete<span className="govuk-visually-hidden"> draft: {r.draft}</span>
                      </a>
                    </>
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
            { header: "Child", cell: (r) => r.child },
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
            {
              header: "Panel date",
              cell: (r) =>
                r.questionOpen ? (
                  <a className="govuk-link" href={`/requests/${r.id}/answer`}>
                    The chair has a question: answer it<span className="govuk-visually-hidden"> for case {r.reference}</span>
                  </a>
                ) : r.panel ? (
                  r.panel.when
                ) : r.status === "awaiting_panel" ? (
                  "Not yet on a panel"
                ) : (
                  "–"
                ),
            },
            { header: "Last change", cell: (r) => r.lastChange },
          ]}
        />
      )}
    </>
  );
}
