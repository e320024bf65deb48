import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, Checkboxes, CsrfInput, ErrorSummary, TextInput, valueOf } from "../components/govuk";
import { areaWithQuorumSchema } from "../forms/admin";
import { AGENCY_KINDS } from "../lib/organisation";
import { AGENCY_KIND_LABELS } from "../lib/labels";
import { handleForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { getAreaForAdmin, saveArea } from "../services/admin.server";
import { actorMay } from "../services/authorise.server";

export const meta: MetaFunction = () => [{ title: "Edit area – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const { user } = actorMay(context, "administer");
  const id = idParam(params.areaId);
  const area = await getAreaForAdmin(context, { user, ip: context.ip }, id);
  return json({ area });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user } = actorMay(context, "administer");
  const id = idParam(params.areaId);
  return handleForm(request, context, areaWithQuorumSchema, async (input) => {
    await saveArea(
      context,
      { user, ip: context.ip },
      {
        name: input.name,
        id,
        quorum: { kinds: input["quorumKinds[]"], others: input.quorumOthers },
        clocks: { leadWithinDays: input.leadWithinDays, transferWithinDays: input.transferWithinDays },
      },
    );
    return redirect("/admin/areas?saved=1");
  });
}

export default function EditArea() {
  const { area } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const values = failure?.values ?? {
    name: area.name,
    "quorumKinds[]": area.quorum_kinds,
    quorumOthers: String(area.quorum_others),
    leadWithinDays: String(area.lead_within_days),
    transferWithinDays: String(area.transfer_within_days),
  };
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/admin/areas" className="govuk-back-link">
          Back to areas
        </a>
        <ErrorSummary errors={failure?.errors} />
        <h1 className="govuk-heading-l">Edit {area.name}</h1>
        <Form method="post" noValidate>
          <CsrfInput />
          <TextInput name="name" label="Name" defaultValue={valueOf(values, "name")} error={failure?.errors.name} />
          <h2 className="govuk-heading-m">Quorum</h2>
          <p className="govuk-body">
            The chairing page says whether each panel in this area is quorate, and the minutes record it. Going ahead without quorum needs a
            reason, which goes in the minutes.
          </p>
          <Checkboxes
            name="quorumKinds[]"
            legend="Which agencies must be present?"
            hint="Most terms of reference need children's social care and early help."
            values={values}
            error={failure?.errors["quorumKinds[]"]}
            options={AGENCY_KINDS.map((kind) => ({ value: kind, label: AGENCY_KIND_LABELS[kind] }))}
          />
          <TextInput
            name="quorumOthers"
            label="How many other agencies must be present besides?"
            hint="For example 2: two agencies such as a school and health, beyond those chosen above."
            inputMode="numeric"
            width="3"
            defaultValue={valueOf(values, "quorumOthers")}
            error={failure?.errors.quorumOthers}
          />
          <h2 className="govuk-heading-m">Hand-over after a step down</h2>
          <p className="govuk-body">
            When a panel agrees a step down, the receiving service’s manager gets two actions with these deadlines, counted in working days
            (weekends and bank holidays in England skipped) from the decision. Overdue ones are emailed to their owner and counted in
            insight.
          </p>
          <TextInput
            name="leadWithinDays"
            label="Working days to name the lead practitioner"
            hint="Working Together 2023 and most step-down protocols: 1. Use 0 for the same day."
            inputMode="numeric"
            width="3"
            defaultValue={valueOf(values, "leadWithinDays")}
            error={failure?.errors.leadWithinDays}
          />
          <TextInput
            name="transferWithinDays"
            label="Working days to hold the transfer meeting or joint visit"
            hint="Most protocols: 5. The chair’s decision form starts with the last of them."
            inputMode="numeric"
            width="3"
            defaultValue={valueOf(values, "transferWithinDays")}
            error={failure?.errors.transferWithinDays}
          />
          <Button>Save changes</Button>
        </Form>
      </div>
    </div>
  );
}
