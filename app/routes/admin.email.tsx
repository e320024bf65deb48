import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { CsrfInput, NotificationBanner, SummaryList, Table, Tag } from "../components/govuk";
import { formatDateTime } from "../lib/dates";
import { readForm } from "../lib/http.server";
import { idParam } from "../lib/params";
import { actorMay } from "../services/authorise.server";
import { emailDelivery, retryFailedEmail } from "../services/email-delivery.server";

export const meta: MetaFunction = () => [{ title: "Email delivery – Threshold" }];

const STATUS: Record<string, { label: string; colour: string }> = {
  pending: { label: "Waiting", colour: "blue" },
  sending: { label: "Sending", colour: "yellow" },
  failed: { label: "Failed", colour: "red" },
};

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorMay(context, "administer");
  const view = await emailDelivery(context, actor);
  return json({
    waiting: view.waiting,
    failed: view.failed,
    oldestWaiting: view.oldestWaiting ? formatDateTime(view.oldestWaiting) : null,
    lastDelivered: view.lastDelivered ? formatDateTime(view.lastDelivered) : null,
    emails: view.emails.map((e) => ({
      ...e,
      createdAt: formatDateTime(e.createdAt),
      nextAttemptAt: e.nextAttemptAt ? formatDateTime(e.nextAttemptAt) : null,
    })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = actorMay(context, "administer");
  const form = await readForm(request, context);
  await retryFailedEmail(context, actor, idParam(String(form.get("id") ?? "")));
  return redirect("/admin/email?retried=1");
}

export default function EmailDelivery() {
  const data = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <>
      {search.has("retried") ? (
        <NotificationBanner>
          <p className="govuk-notification-banner__heading">The email is back in the queue and will be sent again</p>
        </NotificationBanner>
      ) : null}
      <h1 className="govuk-heading-l">Email delivery</h1>
      <p className="govuk-body">
        Emails waiting to go, being sent, or failed for good. What they say is not shown here: only their kind, who they are for and why
        delivery failed.
      </p>
      <SummaryList
        rows={[
          { key: "Waiting or being sent", value: String(data.waiting) },
          { key: "Waiting since", value: data.oldestWaiting ?? "Nothing is waiting" },
          { key: "Failed for good", value: String(data.failed) },
          { key: "Last delivered", value: data.lastDelivered ?? "Nothing delivered yet" },
        ]}
      />
      {data.emails.length === 0 ? (
        <p className="govuk-body">Every email has been delivered.</p>
      ) : (
        <Table
          caption="Emails not yet delivered, oldest first"
          rows={data.emails}
          rowKey={(e) => e.id}
          columns={[
            { header: "Written", cell: (e) => e.createdAt },
            { header: "Kind", cell: (e) => e.kind.replace(/_/g, " ") },
            { header: "To", cell: (e) => e.recipient },
            { header: "State", cell: (e) => <Tag colour={STATUS[e.status]?.colour}>{STATUS[e.status]?.label ?? e.status}</Tag> },
            { header: "Attempts", cell: (e) => String(e.attempts) },
            { header: "Last error", cell: (e) => e.error ?? "None" },
            { header: "Next attempt", cell: (e) => e.nextAttemptAt ?? "–" },
            {
              header: "Retry",
              cell: (e) =>
                e.status === "failed" ? (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="id" value={e.id} />
                    <button
                      type="submit"
                      className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                      data-module="govuk-button"
                    >
                      Retry<span className="govuk-visually-hidden"> email {e.id}</span>
                    </button>
                  </Form>
                ) : (
                  "–"
                ),
            },
          ]}
        />
      )}
    </>
  );
}
