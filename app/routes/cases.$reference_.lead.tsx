import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ChosenPersonField } from "../components/chosen-person";
import { Button, CsrfInput, ErrorSummary, NotificationBanner } from "../components/govuk";
import { formatDateTime } from "../lib/dates";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { DECISION_LABELS } from "../lib/labels";
import { formValues } from "../lib/validation";
import { actorOf } from "../services/authorise.server";
import { nameLeadPractitioner, viewLeadPractitioner } from "../services/lead-practitioner.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `The lead practitioner, ${data?.reference ?? "a case"} – Threshold` },
];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorOf(context);
  const view = await viewLeadPractitioner(context, actor, params.reference ?? "");
  return json({
    reference: view.case.reference,
    decision: view.decision
      ? {
          outcome: DECISION_LABELS[view.decision.outcome as keyof typeof DECISION_LABELS] ?? view.decision.outcome,
          decided: formatDateTime(view.decision.decided_at),
          accepted: view.decision.lead_practitioner,
        }
      : null,
    lead: view.case.lead_practitioner,
    named: view.named ? { supervisor: view.named.supervisor, by: view.named.named_by, at: formatDateTime(view.named.named_at) } : null,
    mayName: view.mayName,
    supervisorRequired: view.supervisorRequired,
    people: view.people.map((p) => ({ value: String(p.id), label: `${p.name}, ${p.agency_name}` })),
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorOf(context);
  const reference = params.reference ?? "";
  const values = formValues(await readForm(request, context));
  const errors = await nameLeadPractitioner(context, actor, reference, values);
  if (errors) return formFailure(errors, values);
  return redirect(`/cases/${reference}/lead?done=named`);
}

export default function LeadPractitioner() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const [search] = useSearchParams();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={`/cases/${data.reference}`} className="govuk-back-link">
          Back to the case
        </a>
        <ErrorSummary errors={failure?.errors} />
        {search.get("done") === "named" && !failure ? (
          <NotificationBanner>Named: the lead practitioner. The action to name them is done.</NotificationBanner>
        ) : null}
        <span className="govuk-caption-l">Case {data.reference}</span>
        <h1 className="govuk-heading-l">The lead practitioner</h1>
        {data.decision ? (
          <>
            <p className="govuk-body">{`The decision: ${data.decision.outcome}, ${data.decision.decided}.`}</p>
            <dl className="govuk-summary-list">
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">Lead practitioner</dt>
                <dd className="govuk-summary-list__value">{data.lead ?? "Not named yet"}</dd>
              </div>
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">Supervisor</dt>
                <dd className="govuk-summary-list__value">{data.named?.supervisor ?? "None named"}</dd>
              </div>
              {data.named ? (
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">Named by</dt>
                  <dd className="govuk-summary-list__value">{`${data.named.by}, ${data.named.at}`}</dd>
                </div>
              ) : null}
            </dl>
          </>
        ) : (
          <p className="govuk-body">The case has no agreed step up or step down, so no service is taking it on.</p>
        )}
        {data.mayName ? (
          <Form method="post" noValidate>
            <CsrfInput />
            <h2 className="govuk-heading-m">{data.named ? "Change the lead practitioner" : "Name the lead practitioner"}</h2>
            <p className="govuk-body">
              The lead practitioner can be from any agency, such as a school or a health visitor.
              {data.supervisorRequired ? " The case is held outside children's social care, so name the supervisor who oversees it." : ""}
            </p>
            <ChosenPersonField
              field="leadPractitioner"
              label="Who is the lead practitioner?"
              noun="Lead practitioner"
              {...(data.decision?.accepted ? { hint: `The panel accepted: ${data.decision.accepted}` } : {})}
              people={data.people}
              values={failure?.values}
              errors={failure?.errors}
            />
            <ChosenPersonField
              field="supervisor"
              label={data.supervisorRequired ? "Who supervises the lead practitioner?" : "Who supervises the lead practitioner? (optional)"}
              noun="Supervisor"
              hint="Someone other than the lead practitioner, usually their manager."
              people={data.people}
              values={failure?.values}
              errors={failure?.errors}
            />
            <Button>Save</Button>
          </Form>
        ) : null}
      </div>
    </div>
  );
}
