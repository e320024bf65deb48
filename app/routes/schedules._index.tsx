import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { NotificationBanner } from "../components/govuk";
import { WEEKDAY_LABELS } from "../forms/panel";
import { actorMay } from "../services/authorise.server";
import { listPanelSchedules } from "../services/panel-schedules.server";

export const meta: MetaFunction = () => [{ title: "Panel schedules – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorMay(context, "editSchedules");
  const rows = await listPanelSchedules(context, actor);
  return json({
    rows: rows.map((r) => ({
      areaId: r.area_id,
      area: r.area_name,
      pattern: r.weekday
        ? `Every ${r.interval_weeks === 1 ? "" : `${r.interval_weeks} weeks on `}${WEEKDAY_LABELS[r.weekday]}, ${r.start_time} to ${r.end_time}`
        : "No schedule yet",
      venue: r.venue ?? "",
      chair: r.chair_name ?? "",
    })),
  });
}

export default function Schedules() {
  const { rows } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <>
      {search.get("saved") ? <NotificationBanner>Schedule saved. Its panels and invites were updated.</NotificationBanner> : null}
      <h1 className="govuk-heading-l">Panel schedules</h1>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-visually-hidden">Each area's panel schedule</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Area
            </th>
            <th scope="col" className="govuk-table__header">
              Meets
            </th>
            <th scope="col" className="govuk-table__header">
              Chair
            </th>
            <th scope="col" className="govuk-table__header">
              Venue
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {rows.map((r) => (
            <tr className="govuk-table__row" key={r.areaId}>
              <td className="govuk-table__cell">
                <a className="govuk-link" href={`/schedules/${r.areaId}`}>
                  {r.area}
                </a>
              </td>
              <td className="govuk-table__cell">{r.pattern}</td>
              <td className="govuk-table__cell">{r.chair}</td>
              <td className="govuk-table__cell">{r.venue}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
