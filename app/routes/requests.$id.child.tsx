import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { answersAsValues } from "../lib/request-answers";
import { Button, CsrfInput, DateInput, ErrorSummary, Select, TextInput, Textarea, valueOf } from "../components/govuk";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { formValues } from "../lib/validation";
import { idParam } from "../lib/params";
import { actorOf } from "../services/authorise.server";
import { draftOptions, getDraft, saveDraftPage, riskPageFor } from "../services/requests.server";

export const meta: MetaFunction = () => [{ title: "About the child – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorOf(context);
  const draft = await getDraft(context, actor, idParam(params.id));
  if (draft.status !== "draft") throw redirect("/submissions");
  const riskPage = riskPageFor(draft);
  if (riskPage) throw redirect(riskPage);
  const values = answersAsValues(draft.answers);
  if (!values.areaId && actor.user.areaId) values.areaId = String(actor.user.areaId);
  return json({ values, kind: draft.kind, ...(await draftOptions(context)) });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorOf(context);
  const id = idParam(params.id);
  const values = formValues(await readForm(request, context));
  const errors = await saveDraftPage(context, actor, id, "child", values);
  if (errors) return formFailure(errors, values);
  return redirect(`/requests/${id}/details`);
}

export default function ChildPage() {
  const params = useParams();
  const { values: saved, areas } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const values = failure?.values ?? saved;
  const errors = failure?.errors;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={`/requests/${params.id}/risk`} className="govuk-back-link">
          Back
        </a>
        <ErrorSummary errors={errors} />
        <span className="govuk-caption-l">Request to the panel</span>
        <h1 className="govuk-heading-l">About the child</h1>
        <p className="govuk-body">
          For a sibling group, enter the eldest child here and the others below. These details are seen only by people signed in to
          Threshold who work on this case; they never appear in emails or invites.
        </p>
        <Form method="post" noValidate>
          <CsrfInput />
          <TextInput
            name="firstName"
            label="First name"
            autoComplete="off"
            defaultValue={valueOf(values, "firstName")}
            error={errors?.firstName}
          />
          <TextInput
            name="lastName"
            label="Last name"
            autoComplete="off"
            defaultValue={valueOf(values, "lastName")}
            error={errors?.lastName}
          />
          <DateInput prefix="dob" legend="Date of birth" hint="For example, 27 3 2015" values={values} error={errors?.dobDay} />
          <Textarea name="address" label="Address (optional)" rows={3} defaultValue={valueOf(values, "address")} error={errors?.address} />
          <TextInput
            name="nhsNumber"
            label="NHS number (optional)"
            hint="10 digits, like 943 476 5919: it helps the panel find a child already known"
            width="10"
            inputMode="numeric"
            spellCheck={false}
            autoComplete="off"
            defaultValue={valueOf(values, "nhsNumber")}
            error={errors?.nhsNumber}
          />
          <TextInput
            name="caseSystemId"
            label="Case number in the council's case system (optional)"
            hint="For example, the child's LCS or Mosaic id"
            width="10"
            spellCheck={false}
            autoComplete="off"
            defaultValue={valueOf(values, "caseSystemId")}
            error={errors?.caseSystemId}
          />
          <Textarea
            name="siblings"
            label="Other children in the sibling group (optional)"
            hint="Names and dates of birth, one child per line"
            rows={3}
            defaultValue={valueOf(values, "siblings")}
            error={errors?.siblings}
          />
          <Select
            name="areaId"
            label="Area"
            hint="The panel for this area will consider the request"
            placeholder="Select the area"
            defaultValue={valueOf(values, "areaId")}
            error={errors?.areaId}
            options={areas.map((a) => ({ value: String(a.id), label: a.name }))}
          />
          <TextInput
            name="existingReference"
            label="Threshold case reference (if the case is already on Threshold)"
            hint="For example, TH-2026-000123. For a case already on Threshold the child's details and area stay as recorded on it: you can leave them blank."
            width="10"
            defaultValue={valueOf(values, "existingReference")}
            error={errors?.existingReference}
          />
          <Button>Save and continue</Button>
        </Form>
      </div>
    </div>
  );
}
