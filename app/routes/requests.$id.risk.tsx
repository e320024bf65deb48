import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, Radios, valueOf } from "../components/govuk";
import { immediateRiskSchema } from "../forms/request";
import { handleForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { actorOf } from "../services/authorise.server";
import { answerRiskQuestion, getDraft } from "../services/requests.server";

export const meta: MetaFunction = () => [{ title: "Is the child at immediate risk of harm? – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const draft = await getDraft(context, actorOf(context), idParam(params.id));
  if (draft.status === "front_door") throw redirect(`/requests/${draft.id}/front-door`);
  if (draft.status !== "draft") throw redirect("/submissions");
  const answered = draft.answers.immediateRisk;
  return json({ id: draft.id, answered: answered === "yes" || answered === "no" ? answered : "", frontDoor: context.settings.frontDoor });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorOf(context);
  const id = idParam(params.id);
  return handleForm(request, context, immediateRiskSchema, async ({ immediateRisk }) => {
    await answerRiskQuestion(context, actor, id, immediateRisk);
    return redirect(immediateRisk === "yes" ? `/requests/${id}/front-door-details` : `/requests/${id}/child`);
  });
}

export default function ImmediateRisk() {
  const { answered, frontDoor } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/requests/new" className="govuk-back-link">
          Back
        </a>
        <ErrorSummary errors={failure?.errors} />
        <Form method="post" noValidate>
          <CsrfInput />
          <Radios
            name="immediateRisk"
            legend="Is the child at immediate risk of harm?"
            legendSize="l"
            isPageHeading
            hint={`Cases at immediate risk never wait for a panel. If you answer yes, contact the front door now on ${frontDoor.phone}.`}
            inline
            defaultValue={valueOf(failure?.values, "immediateRisk") || answered}
            error={failure?.errors.immediateRisk}
            options={[
              { value: "yes", label: "Yes" },
              { value: "no", label: "No" },
            ]}
          />
          <Button>Continue</Button>
        </Form>
      </div>
    </div>
  );
}
