import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, CsrfInput, DateInput, ErrorSummary, NotificationBanner, Radios, TextInput, Textarea, valueOf } from "../components/govuk";
import { FAMILY_TOLD_LABELS } from "../lib/labels";
import { formatDate, formatDateTime, todayIn } from "../lib/dates";
import { datePartsOf } from "../lib/dates";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { DECISION_LABELS } from "../lib/labels";
import { formValues } from "../lib/validation";
import { actorOf } from "../services/authorise.server";
import { recordFamilyTold, viewFamilyTold } from "../services/family.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `What the family was told, ${data?.reference ?? "a case"} – Threshold` },
];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorOf(context);
  const view = await viewFamilyTold(context, actor, params.reference ?? "");
  return json({
    reference: view.case.reference,
    decision: view.decision
      ? {
          outcome: DECISION_LABELS[view.decision.outcome as keyof typeof DECISION_LABELS] ?? view.decision.outcome,
          decided: formatDateTime(view.decision.decided_at),
        }
      : null,
    mayRecord: view.mayRecord,
    // The form starts with today and the person recording; either can be changed.
    defaults: { ...datePartsOf("told", todayIn(context)), toldBy: `${actor.user.name}, ${actor.user.agencyName}` },
    told: view.told.map((t) => ({
      id: t.id,
      how: FAMILY_TOLD_LABELS[t.method],
      on: formatDate(t.told_on),
      by: t.told_by,
      response: t.response,
      recorded: `${t.recorded_by}, ${formatDateTime(t.recorded_at)}`,
    })),
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorOf(context);
  const reference = params.reference ?? "";
  const values = formValues(await readForm(request, context));
  const errors = await recordFamilyTold(context, actor, reference, values);
  if (errors) return formFailure(errors, values);
  return redirect(`/cases/${reference}/family?done=recorded`);
}

export default function FamilyTold() {
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
        {search.get("done") === "recorded" && !failure ? <NotificationBanner>Recorded: how the family was told.</NotificationBanner> : null}
        <span className="govuk-caption-l">Case {data.reference}</span>
        <h1 className="govuk-heading-l">What the family was told</h1>
        {data.decision ? (
          <p className="govuk-body">{`The decision: ${data.decision.outcome}, ${data.decision.decided}.`}</p>
        ) : (
          <p className="govuk-body">There is no decision on this case yet.</p>
        )}
        {data.decision ? (
          <p className="govuk-body">
            <a className="govuk-link" href={`/cases/${data.reference}/letter`}>
              The letter to the family
            </a>
          </p>
        ) : null}
        {data.told.length ? (
          <dl className="govuk-summary-list">
            {data.told.map((t) => (
              <div className="govuk-summary-list__row" key={t.id}>
                <dt className="govuk-summary-list__key">{t.on}</dt>
                <dd className="govuk-summary-list__value">
                  {`${t.how}, by ${t.by}.`}
                  {t.response ? <p className="govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-0">{t.response}</p> : null}
                  <span className="govuk-hint govuk-!-margin-bottom-0">{`Recorded by ${t.recorded}`}</span>
                </dd>
              </div>
            ))}
          </dl>
        ) : data.decision ? (
          <p className="govuk-body">Nobody has recorded telling the family yet.</p>
        ) : null}
        {data.mayRecord ? (
          <Form method="post" noValidate>
            <CsrfInput />
            <h2 className="govuk-heading-m">Record that the family was told</h2>
            <Radios
              name="method"
              legend="How was the family told?"
              options={Object.entries(FAMILY_TOLD_LABELS).map(([value, label]) => ({ value, label }))}
              defaultValue={valueOf(failure?.values, "method")}
              error={e.method}
            />
            <DateInput prefix="told" legend="When were they told?" hint="For example, 27 3 2027" values={values} error={e.toldDay} />
            <TextInput
              name="toldBy"
              label="Who told them?"
              hint="Their name and role, for example Sam Lee, family support worker"
              defaultValue={valueOf(values, "toldBy")}
              error={e.toldBy}
            />
            <Textarea
              name="response"
              label="What the family said (optional)"
              hint="Their view of the decision, in their words where you can."
              maxLength={2000}
              defaultValue={valueOf(failure?.values, "response")}
              error={e.response}
            />
            <Button>Save</Button>
          </Form>
        ) : null}
      </div>
    </div>
  );
}
