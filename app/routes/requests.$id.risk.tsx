import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, Radios, valueOf } from "../components/govuk";
import { immediateRiskSchema } from "../forms/request";
import { handleForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { actorOf } from "../services/authorise.server";
import { getDraft, referDraftToFrontDoor } from "../services/requests.server";

export const meta: MetaFunction = () => [{ title: "Is the child at immediate risk of harm? – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const draft = await getDraft(context, actorOf(context), idParam(params.id));
  if (draft.status === "front_door") throw redirect(`/requests/${draft.id}/front-door`);
  if (draft.status !== "draft") throw redirect("/submissions");
  return json({ id: draft.id, frontDoor: context.settings.frontDoor });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorOf(context);
  const id = idParam(params.id);
  return handleForm(request, context, immediateRiskSchema, async ({ immediateRisk }) => {
    if (immediateRisk === "yes") {
      await referDraftToFrontDoor(context, actor, id);
      return redirect(`/requests/${id}/front-door`);
    }
    await getDraft(context, actor, id);
    return redirect(`/requests/${id}/child`);
  });
}

export default function ImmediateRisk() {
  const { frontDoor } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
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
            defaultValue={valueOf(failure?.values, "immediateRisk")}
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
