import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, Radios, valueOf } from "../components/govuk";
import { requestKindSchema } from "../forms/request";
import { handleForm, type FormFailure } from "../lib/http.server";
import { actorMay } from "../services/authorise.server";
import { startDraft } from "../services/requests.server";

export const meta: MetaFunction = () => [{ title: "What are you asking the panel? – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  actorMay(context, "submitRequests");
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = actorMay(context, "submitRequests");
  return handleForm(request, context, requestKindSchema, async ({ kind }) => {
    const id = await startDraft(context, actor, kind);
    return redirect(`/requests/${id}/risk`);
  });
}

export default function NewRequest() {
  const failure = useActionData<FormFailure>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={failure?.errors} />
        <Form method="post" noValidate>
          <CsrfInput />
          <Radios
            name="kind"
            legend="What are you asking the panel?"
            legendSize="l"
            isPageHeading
            defaultValue={valueOf(failure?.values, "kind")}
            error={failure?.errors.kind}
            options={[
              {
                value: "step_up",
                label: "Step up to children's social care",
                hint: "Early help is in place but the family's needs now meet the threshold for social care",
              },
              {
                value: "step_down",
                label: "Step down from children's social care",
                hint: "To an early help team, the Volunteer Family Support Service or universal services",
              },
            ]}
          />
          <Button>Continue</Button>
        </Form>
      </div>
    </div>
  );
}
