import { receiveReferralSchema } from "../forms/request";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, CsrfInput, NotificationBanner, SummaryList, Tag } from "../components/govuk";
import { formatDateTime } from "../lib/dates";
import { handleForm } from "../lib/http.server";
import { actorOf } from "../services/authorise.server";
import { frontDoorReferrals, receiveReferral } from "../services/front-door.server";

export const meta: MetaFunction = () => [{ title: "Referrals for the front door – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  return json({ referrals: await frontDoorReferrals(context, actorOf(context)) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = actorOf(context);
  return handleForm(request, context, receiveReferralSchema, async ({ requestId }) => {
    await receiveReferral(context, actor, requestId);
    return redirect("/front-door?received=1");
  });
}

export default function FrontDoorReferrals() {
  const { referrals } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const waiting = referrals.filter((r) => !r.receivedAt);
  return (
    <>
      {params.get("received") ? <NotificationBanner>Referral received. The person who made it has been told.</NotificationBanner> : null}
      <h1 className="govuk-heading-l">Referrals for the front door</h1>
      <p className="govuk-body">
        Children reported at immediate risk of harm. They never wait for a panel: call the person who reported it, then mark it received.
      </p>
      <p className="govuk-body">{waiting.length === 1 ? "1 referral is waiting." : `${waiting.length} referrals are waiting.`}</p>
      {referrals.map((r) => (
        <div key={r.id} className="govuk-summary-card">
          <div className="govuk-summary-card__title-wrapper">
            <h2 className="govuk-summary-card__title">
              <a className="govuk-link" href={`/cases/${r.reference}`}>
                {r.reference}
              </a>{" "}
              {r.child}
            </h2>
            {r.receivedAt ? <Tag colour="green">Received</Tag> : <Tag colour="red">Waiting</Tag>}
          </div>
          <div className="govuk-summary-card__content">
            <SummaryList
              rows={[
                { key: "Reported", value: r.at ? formatDateTime(r.at) : "" },
                { key: "Area", value: r.area },
                { key: "The immediate risk", value: <span className="app-pre-wrap">{r.concern}</span> },
                { key: "Reported by", value: `${r.asker} (${r.askerEmail})` },
                { key: "Phone", value: r.contactPhone },
                { key: "Received", value: r.receivedAt ? `${formatDateTime(r.receivedAt)} by ${r.receivedBy}` : "Not yet" },
              ]}
            />
            {r.receivedAt ? null : (
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="requestId" value={r.id} />
                <Button>
                  Mark as received<span className="govuk-visually-hidden"> {r.reference}</span>
                </Button>
              </Form>
            )}
          </div>
        </div>
      ))}
    </>
  );
}
