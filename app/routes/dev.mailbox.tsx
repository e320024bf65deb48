import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { CsrfInput, Tag, Table } from "../components/govuk";
import { formatDateTime } from "../lib/dates";
import { readForm } from "../lib/http.server";
import { idParam } from "../lib/params";
import { actorMay } from "../services/authorise.server";
import { listEmails, retryEmail } from "../services/mailbox.server";

export const meta: MetaFunction = () => [{ title: "Mailbox – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorMay(context, "administer");
  const emails = await listEmails(context, actor);
  return json({
    mailboxOnly: context.settings.mailboxEnabled,
    emails: emails.map((e) => ({ ...e, created_at: formatDateTime(e.created_at) })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = actorMay(context, "administer");
  const form = await readForm(request, context);
  await retryEmail(context, actor, idParam(String(form.get("id") ?? "")));
  return redirect("/dev/mailbox");
}

const STATUS_COLOUR: Record<string, string> = { pending: "blue", sending: "yellow", sent: "green", failed: "red" };

export default function Mailbox() {
  const { emails, mailboxOnly } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="govuk-heading-l">Mailbox</h1>
      <p className="govuk-body">
        {mailboxOnly
          ? "No SMTP server is configured (SMTP_URL), so every email Threshold sends is kept here instead."
          : "Every email Threshold has sent or is sending through SMTP. Failed emails can be retried."}
      </p>
      <Table
        caption="Emails"
        rows={emails}
        rowKey={(e) => e.id}
        columns={[
          { header: "To", cell: (e) => e.recipient },
          {
            header: "Subject",
            cell: (e) => (
              <>
                <a className="govuk-link" href={`/dev/mailbox/${e.id}`}>
                  {e.subject}
                </a>
                {e.ics_method ? (
                  <>
                    {" "}
                    <Tag colour="purple">{e.ics_method === "CANCEL" ? "Cancellation" : "Invite"}</Tag>
                  </>
                ) : null}
              </>
            ),
          },
          { header: "Written", cell: (e) => e.created_at },
          {
            header: "Status",
            cell: (e) => (
              <>
                <Tag colour={STATUS_COLOUR[e.status]}>{e.status === "sent" && e.transport === "mailbox" ? "kept here" : e.status}</Tag>
                {e.status === "failed" ? (
                  <Form method="post" className="govuk-!-margin-top-2">
                    <CsrfInput />
                    <input type="hidden" name="id" value={e.id} />
                    <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
                      Retry<span className="govuk-visually-hidden"> email {e.id}</span>
                    </button>
                    <p className="govuk-body-s">{e.last_error}</p>
                  </Form>
                ) : null}
              </>
            ),
          },
        ]}
      />
    </>
  );
}
