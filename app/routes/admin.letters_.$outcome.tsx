import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, Textarea, valueOf } from "../components/govuk";
import { letterTemplateSchema } from "../forms/family";
import { LETTER_PLACEHOLDERS } from "../lib/family-letters";
import { handleForm, type FormFailure } from "../lib/http.server";
import { actorMay, notFound } from "../services/authorise.server";
import { letterTemplatesForAdmin, saveLetterWording } from "../services/family-letters.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `The letter after “${data?.label ?? "an outcome"}” – Threshold` }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  actorMay(context, "administer");
  const template = (await letterTemplatesForAdmin(context)).find((t) => t.outcome === params.outcome);
  if (!template) throw notFound();
  return json({
    outcome: template.outcome,
    label: template.label,
    body: template.body,
    placeholders: Object.keys(LETTER_PLACEHOLDERS).map((word) => `{${word}}`),
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorMay(context, "administer");
  return handleForm(request, context, letterTemplateSchema, async (input) => {
    if (input.outcome !== params.outcome) throw notFound();
    await saveLetterWording(context, actor, input);
    return redirect(`/admin/letters?saved=${input.outcome}`);
  });
}

export default function LetterWordingForOutcome() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/admin/letters" className="govuk-back-link">
          Back to letters to families
        </a>
        <ErrorSummary errors={failure?.errors} />
        <span className="govuk-caption-l">Letters to families</span>
        <h1 className="govuk-heading-l">{`The letter after “${data.label}”`}</h1>
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="outcome" value={data.outcome} />
          <Textarea
            name="body"
            label="The wording"
            hint={`Plain language a family can follow. These are filled in from the case: ${data.placeholders.join(", ")}.`}
            rows={20}
            maxLength={8000}
            defaultValue={failure ? valueOf(failure.values, "body") : data.body}
            error={failure?.errors.body}
          />
          <Button>Save this wording</Button>
        </Form>
      </div>
    </div>
  );
}
