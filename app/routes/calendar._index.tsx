import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput } from "../components/govuk";
import { readForm } from "../lib/http.server";
import { actorMay } from "../services/authorise.server";
import { hasCalendarFeed, resetCalendarFeed } from "../services/calendar-feed.server";

export const meta: MetaFunction = () => [{ title: "Your calendar feed – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorMay(context, "takePart");
  return json({ exists: await hasCalendarFeed(context, actor) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = actorMay(context, "takePart");
  await readForm(request, context);
  return json({ url: await resetCalendarFeed(context, actor) });
}

export default function CalendarFeed() {
  const { exists } = useLoaderData<typeof loader>();
  const created = useActionData<{ url: string }>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Your calendar feed</h1>
        <p className="govuk-body">
          Add your panels, your agenda slots and your actions' due dates to Outlook or any calendar by subscribing to a private address. It
          shows case references only, never a child's details.
        </p>
        {created ? (
          <div className="govuk-panel govuk-panel--confirmation">
            <h2 className="govuk-panel__title govuk-!-font-size-24">Your private address</h2>
            <div className="govuk-panel__body govuk-!-font-size-19">
              <code className="calendar-url">{created.url}</code>
            </div>
          </div>
        ) : null}
        {created ? (
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <strong className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              Copy it now: it is shown only once. Anyone with it can see your panel dates, so do not share it.
            </strong>
          </div>
        ) : null}
        <Form method="post">
          <CsrfInput />
          {exists && !created ? <p className="govuk-body">You already have an address. A new one stops the old one working.</p> : null}
          <Button secondary={exists || Boolean(created)}>
            {exists || created ? "Replace my private address" : "Create my private address"}
          </Button>
        </Form>
      </div>
    </div>
  );
}
