import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Tag } from "../components/govuk";
import { CATEGORY_LABELS } from "../forms/challenge";
import { formatDateTime } from "../lib/dates";
import { actorMay } from "../services/authorise.server";
import { myChallenges } from "../services/challenges.server";
import { CHALLENGE_STATE_LABELS, type ChallengeState } from "../../machines/challenge/challenge.machine";
import { may } from "../lib/policy";

export const meta: MetaFunction = () => [{ title: "My challenges – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const rows = await myChallenges(context, actor);
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
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Open challenges</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Case
              </th>
              <th scope="col" className="govuk-table__header">
                Stage
              </th>
              <th scope="col" className="govuk-table__header">
                About
              </th>
              <th scope="col" className="govuk-table__header">
                Raised by
              </th>
              <th scope="col" className="govuk-table__header">
                Respond by
              </th>
              <th scope="col" className="govuk-table__header">
                Risk held by
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {rows.map((r) => (
              <tr className="govuk-table__row" key={r.id}>
                <td className="govuk-table__cell">
                  <a className="govuk-link" href={`/challenges/${r.id}`}>
                    {r.reference}
                  </a>
                </td>
                <td className="govuk-table__cell">{r.stage}</td>
                <td className="govuk-table__cell">{r.category}</td>
                <td className="govuk-table__cell">{r.raisedBy}</td>
                <td className="govuk-table__cell">
                  {r.deadline} {r.overdue ? <Tag colour="red">Overdue</Tag> : null}
                </td>
                <td className="govuk-table__cell">{r.riskHolder}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
