import { CATEGORY_LABELS } from "../lib/labels";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Tag, Table } from "../components/govuk";
import { formatDateTime } from "../lib/dates";
import { actorMay } from "../services/authorise.server";
import { viewMyChallenges } from "../services/challenges.server";
import { type ChallengeState } from "../../machines/challenge/challenge.machine";
import { may } from "../lib/policy";
import { CHALLENGE_STATE_LABELS } from "../lib/state-labels";

export const meta: MetaFunction = () => [{ title: "My challenges – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const rows = await viewMyChallenges(context, actor);
  return json({
    manager: may(actor.user, "managePanels"),
    rows: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      stage: CHALLENGE_STATE_LABELS[r.status as ChallengeState],
      category: CATEGORY_LABELS[r.category],
      raisedBy: `${r.raiser_name}, ${r.agency_name}`,
      deadline: r.deadline_at ? formatDateTime(r.deadline_at) : "",
      overdue: r.overdue,
      riskHolder: r.risk_holder,
    })),
  });
}

export default function MyChallenges() {
  const { rows, manager } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">My challenges</h1>
      <p className="govuk-body">
        Open professional challenges you raised, that challenge your decision, or that sit at a stage you answer for.
        {manager ? (
          <>
            {" "}
            <a className="govuk-link" href="/challenges/register">
              See the challenge register
            </a>
            .
          </>
        ) : null}
      </p>
      {rows.length === 0 ? <p className="govuk-body">None open.</p> : null}
      {rows.length ? (
        <Table
          caption="Open challenges"
          rows={rows}
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
            { header: "Stage", cell: (r) => r.stage },
            { header: "About", cell: (r) => r.category },
            { header: "Raised by", cell: (r) => r.raisedBy },
            {
              header: "Respond by",
              cell: (r) => (
                <>
                  {r.deadline} {r.overdue ? <Tag colour="red">Overdue</Tag> : null}
                </>
              ),
            },
            { header: "Risk held by", cell: (r) => r.riskHolder },
          ]}
        />
      ) : null}
    </>
  );
}
