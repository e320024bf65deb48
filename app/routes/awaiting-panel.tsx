import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Tag } from "../components/govuk";
import { formatDateTime } from "../lib/dates";
import { actorMay } from "../services/authorise.server";
import { awaitingPanelQueue } from "../services/requests.server";
import { kindName } from "../lib/request-kind";

export const meta: MetaFunction = () => [{ title: "Awaiting panel – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const rows = await awaitingPanelQueue(context, actor);
  return json({
    rows: rows.map((r) => ({ ...r, submitted_at: r.submitted_at ? formatDateTime(r.submitted_at) : "" })),
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
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-visually-hidden">Requests awaiting a panel</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Reference
            </th>
            <th scope="col" className="govuk-table__header">
              Type
            </th>
            <th scope="col" className="govuk-table__header">
              Area
            </th>
            <th scope="col" className="govuk-table__header">
              Requested by
            </th>
            <th scope="col" className="govuk-table__header">
              Sent
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {rows.map((r) => (
            <tr className="govuk-table__row" key={r.id}>
              <td className="govuk-table__cell">
                <a className="govuk-link" href={`/cases/${r.reference}`}>
                  {r.reference}
                </a>
                {r.bounce_back ? (
                  <>
                    {" "}
                    <Tag colour="orange">Bounce back</Tag>
                  </>
                ) : null}
              </td>
              <td className="govuk-table__cell">{kindName(r.kind, { capital: true })}</td>
              <td className="govuk-table__cell">{r.area_name}</td>
              <td className="govuk-table__cell">
                {r.submitted_by}, {r.agency_name}
              </td>
              <td className="govuk-table__cell">{r.submitted_at}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
