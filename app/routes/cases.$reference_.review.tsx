import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Button,
  CsrfInput,
  DateInput,
  ErrorSummary,
  NotificationBanner,
  Radios,
  SummaryList,
  Textarea,
  valueOf,
} from "../components/govuk";
import { datePartsOf, formatDate, formatDateTime, todayIn } from "../lib/dates";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { DECISION_LABELS, ENGAGEMENT_LABELS } from "../lib/labels";
import { formValues } from "../lib/validation";
import { actorOf } from "../services/authorise.server";
import { recordEngagementReview, viewEngagementReview } from "../services/family.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `The step down's review, ${data?.reference ?? "a case"} – Threshold` },
];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorOf(context);
  const view = await viewEngagementReview(context, actor, params.reference ?? "");
  const d = view.decision;
  const r = view.review;
  return json({
    reference: view.case.reference,
    decision: `${DECISION_LABELS[d.outcome as keyof typeof DECISION_LABELS] ?? d.outcome}, ${formatDateTime(d.decided_at)}`,
    // Team Around the Family reviews fall 6 to 12 weeks after the step down; the panel may have set the date.
    reviewDue: d.review_date ? formatDate(d.review_date) : null,
    review: r
      ? {
          outcome: ENGAGEMENT_LABELS[r.outcome],
          on: formatDate(r.reviewed_on),
          reason: r.reason,
          recorded: `${r.recorded_by}, ${formatDateTime(r.recorded_at)}`,
        }
      : null,
    mayRecord: view.mayRecord,
    defaults: r
      ? { outcome: r.outcome, reason: r.reason, ...datePartsOf("reviewed", r.reviewed_on) }
      : { ...datePartsOf("reviewed", todayIn(context)) },
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorOf(context);
  const reference = params.reference ?? "";
  const values = formValues(await readForm(request, context));
  const errors = await recordEngagementReview(context, actor, reference, values);
  if (errors) return formFailure(errors, values);
  return redirect(`/cases/${reference}/review?done=recorded`);
}

/** Whether the step down worked: how the family engaged, found at its Team Around the Family review. */
export default function EngagementReview() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const [search] = useSearchParams();
  const values = failure?.values ?? data.defaults;
  const e = failure?.errors ?? {};
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={`/cases/${data.reference}`} className="govuk-back-link">
          Back to the case
        </a>
        <ErrorSummary errors={failure?.errors} />
        {search.get("done") === "recorded" && !failure ? (
          <NotificationBanner>Recorded: how the family engaged after the step down.</NotificationBanner>
        ) : null}
        <span className="govuk-caption-l">Case {data.reference}</span>
        <h1 className="govuk-heading-l">Did the step down work?</h1>
        <p className="govuk-body">
          {`The decision: ${data.decision}.`}
          {data.reviewDue ? ` The review was set for ${data.reviewDue}.` : " Reviews usually fall 6 to 12 weeks after the step down."}
        </p>
        {data.review ? (
          <SummaryList
            rows={[
              { key: "How the family engaged", value: data.review.outcome },
              { key: "Review", value: data.review.on },
              { key: "What the review found", value: data.review.reason },
              { key: "Recorded by", value: data.review.recorded },
            ]}
          />
        ) : (
          <p className="govuk-body">The review has not been recorded yet.</p>
        )}
        {data.mayRecord ? (
          <Form method="post" noValidate>
            <CsrfInput />
            <h2 className="govuk-heading-m">{data.review ? "Change the review" : "Record the review"}</h2>
            <Radios
              name="outcome"
              legend="How did the family engage?"
              options={Object.entries(ENGAGEMENT_LABELS).map(([value, label]) => ({ value, label }))}
              defaultValue={valueOf(values, "outcome")}
              error={e.outcome}
            />
            <DateInput
              prefix="reviewed"
              legend="When was the review?"
              hint="For example, 27 3 2027"
              values={values}
              error={e.reviewedDay}
            />
            <Textarea
              name="reason"
              label="What did the review find?"
              hint="Why the family engaged or not: this is what explains bounce-back in the figures."
              maxLength={2000}
              defaultValue={valueOf(values, "reason")}
              error={e.reason}
            />
            <Button>Save the review</Button>
          </Form>
        ) : null}
      </div>
    </div>
  );
}
