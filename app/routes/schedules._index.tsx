import { WEEKDAY_LABELS } from "../lib/labels";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { NotificationBanner, Table } from "../components/govuk";
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
      <Table
        caption="Each area's panel schedule"
        rows={rows}
        rowKey={(r) => r.areaId}
        columns={[
          {
            header: "Area",
            cell: (r) => (
              <>
                <a className="govuk-link" href={`/schedules/${r.areaId}`}>
                  {r.area}
                </a>
              </>
            ),
          },
          { header: "Meets", cell: (r) => r.pattern },
          { header: "Chair", cell: (r) => r.chair },
          { header: "Venue", cell: (r) => r.venue },
        ]}
      />
    </>
  );
}
