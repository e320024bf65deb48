import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, NotificationBanner, Textarea, valueOf } from "../components/govuk";
import { formatDateTime } from "../lib/dates";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { DECISION_LABELS } from "../lib/labels";
import { formValues } from "../lib/validation";
import { actorOf, badRequest } from "../services/authorise.server";
import { reviewFamilyLetter, saveFamilyLetter, viewFamilyLetter } from "../services/family-letters.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Letter to the family, ${data?.reference ?? "a case"} – Threshold` },
];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorOf(context);
  const view = await viewFamilyLetter(context, actor, params.reference ?? "");
  const l = view.letter;
  return json({
    reference: view.case.reference,
    decision: view.decision
      ? `${DECISION_LABELS[view.decision.outcome as keyof typeof DECISION_LABELS] ?? view.decision.outcome}, ${formatDateTime(view.decision.decided_at)}`
      : null,
    letter: l
      ? {
          body: l.body,
          written: `${l.written_by}, ${formatDateTime(l.written_at)}`,
          reviewed: l.reviewed_at ? `${l.reviewed_by}, ${formatDateTime(l.reviewed_at)}` : null,
        }
      : null,
    draft: view.draft,
    mayWrite: view.mayWrite,
    mayReview: view.mayReview,
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorOf(context);
  const reference = params.reference ?? "";
  const formData = await readForm(request, context);
  const intent = formData.get("intent");
  const values = formValues(formData);
  if (intent === "save") {
    const errors = await saveFamilyLetter(context, actor, reference, values);
    if (errors) return formFailure(errors, values);
    return redirect(`/cases/${reference}/letter?done=saved`);
  }
  if (intent === "review") {
    const errors = await reviewFamilyLetter(context, actor, reference);
    if (errors) return formFailure(errors, values);
    return redirect(`/cases/${reference}/letter?done=reviewed`);
  }
  throw badRequest("Choose whether to save or review the letter");
}

const DONE: Record<string, string> = {
  saved: "Letter saved. A manager for the area who did not write it reviews it before it is printed.",
  reviewed: "Letter reviewed: it can now be printed.",
};

/** Paragraphs as the writer left them: blank lines between, line breaks kept. */
function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n\s*\n/).map((p, i) => (
        <p className="govuk-body family-letter__paragraph" key={i}>
          {p}
        </p>
      ))}
    </>
  );
}

export default function FamilyLetter() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const [search] = useSearchParams();
  const done = search.get("done");
  const e = failure?.errors ?? {};
  const l = data.letter;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={`/cases/${data.reference}/family`} className="govuk-back-link">
          Back to what the family was told
        </a>
        <ErrorSummary errors={failure?.errors} />
        {done && DONE[done] && !failure ? <NotificationBanner>{DONE[done]}</NotificationBanner> : null}
        <span className="govuk-caption-l">Case {data.reference}</span>
        <h1 className="govuk-heading-l">Letter to the family</h1>
        {data.decision ? (
          <p className="govuk-body">{`The decision: ${data.decision}.`}</p>
        ) : (
          <p className="govuk-body">There is no decision on this case yet.</p>
        )}
        {l?.reviewed ? (
          <>
            <div className="govuk-inset-text">
              {`Written by ${l.written}. Reviewed by ${l.reviewed}. `}
              <a className="govuk-link" href={`/cases/${data.reference}/letter/print`}>
                Open the letter to print it
              </a>
            </div>
            <div className="family-letter">
              <Paragraphs text={l.body} />
            </div>
          </>
        ) : l ? (
          <>
            <div className="govuk-inset-text">{`Written by ${l.written}. Waiting for a manager for the area who did not write it to review it; it cannot be printed until then.`}</div>
            {data.mayReview ? (
              <>
                <div className="family-letter">
                  <Paragraphs text={l.body} />
                </div>
                <Form method="post" noValidate>
                  <CsrfInput />
                  {e.review ? (
                    <p className="govuk-error-message" id="review">
                      {e.review}
                    </p>
                  ) : null}
                  <Button name="intent" value="review">
                    The letter is ready to print
                  </Button>
                </Form>
              </>
            ) : null}
            {data.mayWrite ? (
              <Form method="post" noValidate>
                <CsrfInput />
                <Textarea
                  name="body"
                  label="The letter"
                  rows={22}
                  maxLength={8000}
                  defaultValue={valueOf(failure?.values, "body") || l.body}
                  error={e.body}
                />
                <Button name="intent" value="save" secondary={data.mayReview}>
                  Save the changes
                </Button>
              </Form>
            ) : null}
          </>
        ) : data.draft !== null ? (
          <Form method="post" noValidate>
            <CsrfInput />
            <Textarea
              name="body"
              label="The letter"
              hint="Started from the wording for this outcome, with the case's details filled in. Change anything the family needs said differently."
              rows={22}
              maxLength={8000}
              defaultValue={failure ? valueOf(failure.values, "body") : data.draft}
              error={e.body}
            />
            <Button name="intent" value="save">
              Save the letter for review
            </Button>
          </Form>
        ) : data.decision ? (
          <p className="govuk-body">No letter has been written to the family yet.</p>
        ) : null}
      </div>
    </div>
  );
}
