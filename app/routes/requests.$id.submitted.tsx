import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { idParam } from "../lib/params";
import { actorOf } from "../services/authorise.server";
import { getDraft, referralReference, requestPlacement } from "../services/requests.server";
import { kindAdjective } from "../lib/request-kind";

export const meta: MetaFunction = () => [{ title: "Request sent – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorOf(context);
  const request = await getDraft(context, actor, idParam(params.id));
  if (request.status === "draft") throw redirect(`/requests/${request.id}/check`);
  return json({
    reference: await referralReference(context, actor, request.id),
    kind: request.kind,
    bounceBack: request.bounce_back,
    placement: await requestPlacement(context, request),
  });
}

export default function Submitted() {
  const { reference, kind, bounceBack, placement } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <div className="govuk-panel govuk-panel--confirmation">
          <h1 className="govuk-panel__title">{`${kindAdjective(kind, { capital: true })} request sent`}</h1>
          <div className="govuk-panel__body">
            Case reference
            <br />
            <strong>{reference}</strong>
          </div>
        </div>
        {bounceBack ? (
          <div className="govuk-inset-text">
            This case was stepped down in the last 12 months. The panel will see it flagged as a bounce back.
          </div>
        ) : null}
        <h2 className="govuk-heading-m">Which panel</h2>
        <p className="govuk-body" data-testid="placement">
          {placement.panel
            ? `The request is on the ${placement.panel.area} ${placement.panel.extraordinary ? "extraordinary " : ""}panel on ${placement.panel.when}.`
            : placement.why}
        </p>
        <h2 className="govuk-heading-m">What happens next</h2>
        <p className="govuk-body">
          The request waits for the next panel in the case's area whose referral cut-off has not passed. The chair may ask you to attend for
          this item. You will be told the decision by email, with a link to sign in and read it.
        </p>
        <p className="govuk-body">
          <a className="govuk-link" href={`/cases/${reference}`}>
            View the case
          </a>{" "}
          or{" "}
          <a className="govuk-link" href="/submissions">
            see all your submissions
          </a>
          .
        </p>
      </div>
    </div>
  );
}
