import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SummaryList } from "../components/govuk";
import { formatDateTime } from "../lib/dates";
import { idParam } from "../lib/params";
import { actorMay } from "../services/authorise.server";
import { readEmail } from "../services/mailbox.server";

export const meta: MetaFunction = () => [{ title: "Email – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const email = await readEmail(context, actorMay(context, "administer"), idParam(params.id));
  return json({ ...email, created_at: formatDateTime(email.created_at) });
}

export default function EmailView() {
  const email = useLoaderData<typeof loader>();
  return (
    <>
      <a href="/dev/mailbox" className="govuk-back-link">
        Back to mailbox
      </a>
      <h1 className="govuk-heading-l">{email.subject}</h1>
      <SummaryList
        rows={[
          { key: "To", value: email.recipient },
          { key: "Written", value: email.created_at },
          { key: "Status", value: `${email.status} after ${email.attempts} attempt(s)` },
          { key: "Kind", value: email.kind },
        ]}
      />
      <h2 className="govuk-heading-m">Plain text</h2>
      <pre className="govuk-body app-pre-wrap">{email.text_body}</pre>
      <h2 className="govuk-heading-m">HTML</h2>
      <iframe title="HTML version of the email" sandbox="" src={`/dev/mailbox/${email.id}/html`} className="app-email-preview" />
      {email.ics ? (
        <>
          <h2 className="govuk-heading-m">Calendar ({email.ics_method})</h2>
          <p className="govuk-body">
            <a className="govuk-link" href={`/dev/mailbox/${email.id}/invite.ics`} download>
              Download the invite
            </a>
          </p>
          <pre className="govuk-body-s app-pre-wrap">{email.ics}</pre>
        </>
      ) : null}
    </>
  );
}
