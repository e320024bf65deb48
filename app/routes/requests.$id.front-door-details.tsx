import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput, DateInput, ErrorSummary, Select, TextInput, Textarea, valueOf } from "../components/govuk";
import { frontDoorSchema } from "../forms/request";
import { todayIn } from "../lib/dates";
import { handleForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { actorOf } from "../services/authorise.server";
import { sendToFrontDoor } from "../services/front-door.server";
import { draftOptions, getDraft } from "../services/requests.server";

export const meta: MetaFunction = () => [{ title: "Tell the front door about the child – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorOf(context);
  const draft = await getDraft(context, actor, idParam(params.id));
  if (draft.status === "front_door") throw redirect(`/requests/${draft.id}/front-door`);
  if (draft.status !== "draft") throw redirect("/submissions");
  if (draft.answers.immediateRisk !== "yes") throw redirect(`/requests/${draft.id}/risk`);
  const { areas } = await draftOptions(context);
  return json({ id: draft.id, areas, areaId: actor.user.areaId ? String(actor.user.areaId) : "", frontDoor: context.settings.frontDoor });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorOf(context);
  const id = idParam(params.id);
  return handleForm(request, context, frontDoorSchema(todayIn(context)), async (answers, values) => {
    await sendToFrontDoor(context, actor, id, answers, values);
    return redirect(`/requests/${id}/front-door`);
  });
}

export default function FrontDoorDetails() {
  const { id, areas, areaId, frontDoor } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const values = failure?.values;
  const errors = failure?.errors;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={`/requests/${id}/risk`} className="govuk-back-link">
          Back
        </a>
        <ErrorSummary errors={errors} />
        <span className="govuk-caption-l">The child is at immediate risk of harm</span>
        <h1 className="govuk-heading-l">Tell the front door now</h1>
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            Phone the front door on {frontDoor.phone} straight away. If the child is in danger right now, call 999.
          </strong>
        </div>
        <p className="govuk-body">
          This does not go to a panel. Give the front door what it needs below and it is handed to the front-door team in Threshold at once.
          Nothing is recorded until you send it.
        </p>
        <Form method="post" noValidate>
          <CsrfInput />
          <TextInput
            name="firstName"
            label="Child's first name"
            autoComplete="off"
            defaultValue={valueOf(values, "firstName")}
            error={errors?.firstName}
          />
          <TextInput
            name="lastName"
            label="Child's last name"
            autoComplete="off"
            defaultValue={valueOf(values, "lastName")}
            error={errors?.lastName}
          />
          <DateInput prefix="dob" legend="Child's date of birth" hint="For example, 27 3 2015" values={values} error={errors?.dobDay} />
          <Textarea
            name="address"
            label="Where the child is now"
            hint="Their address, or where they are if not at home"
            rows={3}
            defaultValue={valueOf(values, "address")}
            error={errors?.address}
          />
          <Select
            name="areaId"
            label="Area"
            placeholder="Select the area"
            defaultValue={valueOf(values, "areaId") || areaId}
            error={errors?.areaId}
            options={areas.map((a) => ({ value: String(a.id), label: a.name }))}
          />
          <Textarea
            name="concern"
            label="What is the immediate risk?"
            hint="What has happened or been said, when, and who is with the child now"
            rows={6}
            defaultValue={valueOf(values, "concern")}
            error={errors?.concern}
          />
          <TextInput
            name="contactPhone"
            label="Your phone number"
            hint="The front door will call you on this number"
            type="tel"
            autoComplete="tel"
            width="20"
            defaultValue={valueOf(values, "contactPhone")}
            error={errors?.contactPhone}
          />
          <Button warning>Send to the front door</Button>
        </Form>
        <p className="govuk-body">
          <a className="govuk-link" href={`/requests/${id}/risk`}>
            The child is not at immediate risk: change my answer
          </a>
        </p>
      </div>
    </div>
  );
}
