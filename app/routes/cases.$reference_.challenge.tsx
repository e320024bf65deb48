import { CATEGORY_LABELS } from "../lib/labels";
import { DECISION_LABELS } from "../lib/labels";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, Radios, TextInput, Textarea, valueOf } from "../components/govuk";
import { raiseChallengeSchema } from "../forms/challenge";
import { formatDate, formatDateTime } from "../lib/dates";
import { formValues, validate } from "../lib/validation";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { actorMay } from "../services/authorise.server";
import { optionalIdQuery } from "../lib/params";
import { viewCase } from "../services/cases.server";
import { challengeableDecisions, raiseChallenge } from "../services/challenges.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Challenge a decision on ${data?.reference ?? "a case"} – Threshold` },
];

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const actor = actorMay(context, "takePart");
  // "Challenge this decision" links name the decision; it is chosen if it may be challenged.
  const asked = optionalIdQuery(new URL(request.url).searchParams.get("decision"));
  const view = await viewCase(context, actor, params.reference ?? "");
  const decisions = await challengeableDecisions(context, actor, view.case.id);
  return json({
    reference: view.case.reference,
    riskHolder: view.case.risk_holder,
    asked: decisions.some((d) => d.id === asked) ? String(asked) : null,
    decisions: decisions.map((d) => ({
      value: String(d.id),
      label: `${DECISION_LABELS[d.outcome as keyof typeof DECISION_LABELS] ?? d.outcome}, ${formatDateTime(d.decided_at)}`,
      hint: `You can challenge it until ${formatDate(d.until)}`,
    })),
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const reference = params.reference ?? "";
  const values = formValues(await readForm(request, context));
  const parsed = validate(raiseChallengeSchema, values);
  if (!parsed.ok) return formFailure(parsed.errors, values);
  const id = await raiseChallenge(context, actor, reference, parsed.data);
  return redirect(`/challenges/${id}?done=raised`);
}

export default function RaiseChallenge() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const v = failure?.values;
  const e = failure?.errors ?? {};
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={`/cases/${data.reference}`} className="govuk-back-link">
          Back to the case
        </a>
        <ErrorSummary errors={failure?.errors} />
        <span className="govuk-caption-l">Case {data.reference}</span>
        <h1 className="govuk-heading-l">Challenge a decision</h1>
        <p className="govuk-body">
          Disagreeing with a threshold decision is part of keeping children safe. The challenge goes first to the person who made the
          decision, then up through managers with a deadline at each stage.
        </p>
        {data.decisions.length === 0 ? (
          <p className="govuk-body">
            There is no decision you can challenge: a challenge is raised by someone who took part in the decision or made the request,
            within 10 working days of it.
          </p>
        ) : (
          <Form method="post" noValidate>
            <CsrfInput />
            <Radios
              name="decisionId"
              legend="Which decision do you disagree with?"
              options={data.decisions.map((d) => ({ value: d.value, label: d.label, hint: d.hint }))}
              defaultValue={valueOf(v, "decisionId", data.asked ?? (data.decisions.length === 1 ? data.decisions[0].value : ""))}
              error={e.decisionId}
            />
            <TextInput
              name="disagreement"
              label="Who disagrees, and with what?"
              hint="For example: Community health disagrees that the threshold for social care is not met"
              defaultValue={valueOf(v, "disagreement")}
              error={e.disagreement}
            />
            <Radios
              name="category"
              legend="What is the disagreement about?"
              options={Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label }))}
              defaultValue={valueOf(v, "category")}
              error={e.category}
            />
            <Textarea
              name="reason"
              label="Why do you disagree?"
              hint="Use the case reference, never the child's name."
              defaultValue={valueOf(v, "reason")}
              error={e.reason}
            />
            <TextInput
              name="riskHolder"
              label="Who holds the risk while this is resolved?"
              hint={data.riskHolder ? `Now: ${data.riskHolder}` : "Name and role"}
              defaultValue={valueOf(v, "riskHolder", data.riskHolder ?? "")}
              error={e.riskHolder}
            />
            <Button>Raise the challenge</Button>
          </Form>
        )}
      </div>
    </div>
  );
}
