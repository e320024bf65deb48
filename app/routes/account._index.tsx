import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { CsrfInput, SummaryList, Tag } from "../components/govuk";
import { actorOf } from "../services/authorise.server";
import { secondFactorStatus } from "../services/second-factor.server";

export const meta: MetaFunction = () => [{ title: "Your account – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorOf(context);
  return json({ name: actor.user.name, email: actor.user.email, secondFactor: await secondFactorStatus(context, actor) });
}

export default function Account() {
  const { name, email, secondFactor } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Your account</h1>
        <SummaryList
          rows={[
            { key: "Name", value: name },
            { key: "Email address", value: email },
            {
              key: "Password",
              value: (
                <a className="govuk-link" href="/account/password">
                  Change your password
                </a>
              ),
            },
            {
              key: "Two-factor authentication",
              value: (
                <>
                  {secondFactor.enabled ? <Tag colour="green">On</Tag> : <Tag colour="grey">Off</Tag>}{" "}
                  <a className="govuk-link" href="/account/two-factor">
                    {secondFactor.enabled ? "Manage two-factor authentication" : "Set up two-factor authentication"}
                  </a>
                </>
              ),
            },
          ]}
        />
        <h2 className="govuk-heading-m">Signed in somewhere else?</h2>
        <p className="govuk-body">
          If you left Threshold open on a shared or lost device, sign out everywhere. You will need to sign in again here too.
        </p>
        <Form method="post" action="/sign-out">
          <CsrfInput />
          <input type="hidden" name="everywhere" value="yes" />
          <button type="submit" className="govuk-button govuk-button--warning">
            Sign out on every device
          </button>
        </Form>
      </div>
    </div>
  );
}
