import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Tag, Table } from "../components/govuk";
import { formatDate, formatTime } from "../lib/dates";
import { type PanelState } from "../../machines/panel/panel.machine";
import { actorMay } from "../services/authorise.server";
import { listPanels } from "../services/agenda.server";
import { may } from "../lib/policy";
import { PANEL_STATE_LABELS } from "../lib/state-labels";

export const meta: MetaFunction = () => [{ title: "Panels – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const { upcoming, recent } = await listPanels(context, actor);
  const row = (p: (typeof upcoming)[number]) => ({
    id: p.id,
    area: p.area_name,
    kind: p.kind,
    date: formatDate(p.meeting_date),
    time: `${formatTime(p.starts_at)} to ${formatTime(p.ends_at)}`,
    movedFrom: p.moved_from ? formatDate(p.moved_from) : null,
    status: PANEL_STATE_LABELS[p.status as PanelState],
    items: Number(p.item_count ?? 0),
  });
  return json({
    upcoming: upcoming.map(row),
    recent: recent.map(row),
    manager: may(actor.user, "managePanels"),
  });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["upcoming"][number];

function PanelTable({ rows, caption }: { rows: Row[]; caption: string }) {
  if (!rows.length) return <p className="govuk-body">None.</p>;
  return (
    <Table
      caption={`${caption}`}
      captionSize="m"
      rows={rows}
      rowKey={(p) => p.id}
      columns={[
        {
          header: "Date",
          cell: (p) => (
            <>
              <a className="govuk-link" href={`/panels/${p.id}`}>
                {p.date}
              </a>
              {p.kind === "extraordinary" ? (
                <>
                  {" "}
                  <Tag colour="purple">Extraordinary</Tag>
                </>
              ) : null}
              {p.movedFrom ? <span className="govuk-hint govuk-!-margin-0">Moved from {p.movedFrom} (bank holiday)</span> : null}
            </>
          ),
        },
        { header: "Area", cell: (p) => p.area },
        { header: "Time", cell: (p) => p.time },
        { header: "Requests", cell: (p) => p.items },
        { header: "Status", cell: (p) => p.status },
      ]}
    />
  );
}

export default function Panels() {
  const { upcoming, recent, manager } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Panels</h1>
      {manager ? (
        <p className="govuk-body">
          <a className="govuk-link" href="/panels/extraordinary">
            Call or request an extraordinary panel
          </a>
        </p>
      ) : null}
      <PanelTable rows={upcoming} caption="Coming panels" />
      <PanelTable rows={recent} caption="Recent panels" />
    </>
  );
}
