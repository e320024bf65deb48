import { CORRECTABLE } from "../lib/labels";
import { DECISION_LABELS } from "../lib/labels";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ChosenPersonField } from "../components/chosen-person";
import { DecisionSummary } from "../components/decision-summary";
import { Button, CsrfInput, DateInput, ErrorSummary, Radios, Textarea, valueOf } from "../components/govuk";
import { correctDecisionSchema } from "../forms/panel";
import { formatDate, todayIn } from "../lib/dates";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { formValues, validate } from "../lib/validation";
import { actorMay } from "../services/authorise.server";
import { correctDecision, viewDecisionForCorrection } from "../services/decision-correction.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Correct the decision on case ${data?.reference ?? ""} – Threshold` },
];

/** A person's fields as the form holds them: the user chosen, or the named contact's three parts. */
function personValues(field: string, userId: number | null, label: string | null): Record<string, string> {
  if (userId) return { [field]: String(userId) };
  if (!label) return {};
  const [name = "", role = "", ...agency] = label.split(",").map((s) => s.trim());
  return { [field]: "other", [`${field}Name`]: name, [`${field}Role`]: role, [`${field}Agency`]: agency.join(", ") };
}

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const { decision: d, people, correctable } = await viewDecisionForCorrection(context, actor, idParam(params.decisionId));
  const transfer = d.transfer_date ? d.transfer_date.split("-") : null;
  return json({
    id: d.id,
    reference: d.reference,
    kind: d.kind,
    correctable,
    published: d.panel_status === "minutes_published",
    current: {
      outcome: DECISION_LABELS[d.outcome as keyof typeof DECISION_LABELS] ?? d.outcome,
      reasons: d.reasons,
      riskHolder: d.risk_holder,
      leadPractitioner: d.lead_practitioner,
      transferDate: d.transfer_date ? formatDate(d.transfer_date) : null,
    },
    values: {
      caseVersion: String(d.case_version),
      outcome: d.outcome,
      // The reasons start empty: the corrected decision needs its own (the recorded ones are shown above).
      ...personValues("riskHolder", d.risk_holder_user_id, d.risk_holder),
      ...personValues("leadPractitioner", d.lead_practitioner_user_id, d.lead_practitioner),
      ...(transfer
        ? { transferDay: String(Number(transfer[2])), transferMonth: String(Number(transfer[1])), transferYear: transfer[0] }
        : {}),
    } as Record<string, string>,
    people: people.map((p) => ({ value: String(p.id), label: `${p.name}, ${p.agency_name}` })),
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const values = formValues(await readForm(request, context));
  const parsed = validate(correctDecisionSchema(todayIn(context)), values);
  if (!parsed.ok) return formFailure(parsed.errors, values);
  const { reference } = await correctDecision(context, actor, idParam(params.decisionId), parsed.data);
  return redirect(`/cases/${reference}?done=corrected`);
}

export default function CorrectDecision() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const values = failure?.values ?? data.values;
  const errors = failure?.errors;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={`/cases/${data.reference}`} className="govuk-back-link">
          Back to case {data.reference}
        </a>
        <ErrorSummary errors={errors} labels={{ transferDay: "transferDay" }} />
        <span className="govuk-caption-l">Case {data.reference}</span>
        <h1 className="govuk-heading-l">Correct the decision</h1>
        <h2 className="govuk-heading-m">The decision as recorded</h2>
        <DecisionSummary decision={data.current} />
        {!data.correctable ? (
          <p className="govuk-body">
            This decision cannot be corrected here: it has already been corrected, or it deferred the request or referred it to the front
            door, and the request has moved on.
          </p>
        ) : (
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="caseVersion" value={valueOf(values, "caseVersion")} />
            <p className="govuk-body">
              The recorded decision stays in the case&apos;s history beside the correction. Everyone told of it is emailed that it was
              corrected{data.published ? ", and the published minutes show the correction" : ""}.
            </p>
            <Textarea
              name="correctionReason"
              label="Why is the decision being corrected?"
              hint="For example, the wrong outcome was selected at the meeting."
              rows={3}
              defaultValue={valueOf(values, "correctionReason")}
              error={errors?.correctionReason}
            />
            <Radios
              name="outcome"
              legend="Corrected decision"
              legendSize="s"
              defaultValue={valueOf(values, "outcome")}
              error={errors?.outcome}
              options={CORRECTABLE.filter((o) => (data.kind === "step_up" ? !o.startsWith("step_down") : o !== "step_up_agreed")).map(
                (o) => ({
                  value: o,
                  label: DECISION_LABELS[o],
                }),
              )}
            />
            <Textarea
              name="reasons"
              label="Reasons for the corrected decision"
              hint="The reasons recorded at the meeting are shown above, under the decision as recorded."
              defaultValue={valueOf(values, "reasons")}
              error={errors?.reasons}
            />
            <ChosenPersonField
              field="riskHolder"
              label="Who holds the risk"
              noun="Risk holder"
              people={data.people}
              values={values}
              errors={errors}
            />
            <ChosenPersonField
              field="leadPractitioner"
              label="Lead practitioner (required for a step down)"
              noun="Lead practitioner"
              people={data.people}
              values={values}
              errors={errors}
            />
            <DateInput
              prefix="transfer"
              legend="Transfer meeting or joint visit date (required for a step down)"
              hint="For example, 27 11 2026"
              values={values}
              error={errors?.transferDay}
            />
            <Button>Record the correction</Button>
          </Form>
        )}
      </div>
    </div>
  );
}
