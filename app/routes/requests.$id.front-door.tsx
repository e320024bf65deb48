import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { idParam } from "../lib/params";
import { actorOf } from "../services/authorise.server";
import { getDraft, referralReference } from "../services/requests.server";

export const meta: MetaFunction = () => [{ title: "Contact the front door now – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorOf(context);
  const draft = await getDraft(context, actor, idParam(params.id));
  if (draft.status !== "front_door")
    throw redirect(`/requests/${draft.id}/${draft.answers.immediateRisk === "yes" ? "front-door-details" : "risk"}`);
  return json({ reference: await referralReference(context, actor, draft.id), frontDoor: context.settings.frontDoor });
}

export default function FrontDoor() {
  const { reference, frontDoor } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Sent to the front door: now phone them</h1>
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>A child at immediate risk of harm does not go to a panel. Phone the front
            door straight away.
          </strong>
        </div>
        <p className="govuk-body-l">
          Phone <strong>{frontDoor.phone}</strong>
          <br />
          Email <strong>{frontDoor.email}</strong>
        </p>
        <p className="govuk-body">If the child is in danger right now, call 999.</p>
        <p className="govuk-body">
          We have handed what you told us to the front-door team in Threshold, and told them by email. Quote reference{" "}
          <strong>{reference}</strong> when you phone. You will be emailed when they have received it.
        </p>
        <p className="govuk-body">
          <a className="govuk-link" href={`/cases/${reference}`}>
            View the case record
          </a>
        </p>
      </div>
    </div>
  );
}
