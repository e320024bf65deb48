import { AGENCY_KIND_LABELS } from "../lib/labels";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AGENCY_KINDS } from "../lib/organisation";
import { Button, CsrfInput, ErrorSummary, Radios, Select, TextInput, valueOf } from "../components/govuk";
import { agencySchema } from "../forms/admin";
import { handleForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { getAgencyForAdmin, saveAgency } from "../services/admin.server";
import { actorMay } from "../services/authorise.server";

export const meta: MetaFunction = () => [{ title: "Edit agency – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const { user } = actorMay(context, "administer");
  const id = idParam(params.agencyId);
  const agency = await getAgencyForAdmin(context, { user, ip: context.ip }, id);
  return json({ agency });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user } = actorMay(context, "administer");
  const id = idParam(params.agencyId);
  return handleForm(request, context, agencySchema, async (input) => {
    await saveAgency(context, { user, ip: context.ip }, { ...input, id });
    return redirect("/admin/agencies?saved=1");
  });
}

export default function EditAgency() {
  const { agency } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const values = failure?.values ?? { name: agency.name, kind: agency.kind, active: agency.active ? "yes" : "no" };
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/admin/agencies" className="govuk-back-link">
          Back to agencies
        </a>
        <ErrorSummary errors={failure?.errors} />
        <h1 className="govuk-heading-l">Edit {agency.name}</h1>
        <Form method="post" noValidate>
          <CsrfInput />
          <TextInput name="name" label="Name" defaultValue={valueOf(values, "name")} error={failure?.errors.name} />
          <Select
            name="kind"
            label="Kind of agency"
            defaultValue={valueOf(values, "kind")}
            error={failure?.errors.kind}
            options={AGENCY_KINDS.map((k) => ({ value: k, label: AGENCY_KIND_LABELS[k] }))}
          />
          <Radios
            name="active"
            legend="Is this agency active?"
            legendSize="s"
            inline
            defaultValue={valueOf(values, "active")}
            options={[
              { value: "yes", label: "Yes" },
              { value: "no", label: "No" },
            ]}
          />
          <Button>Save changes</Button>
        </Form>
        <p className="govuk-body">
          <a className="govuk-link" href={`/admin/agencies/${agency.id}/sign-in`}>
            Sign in with this organisation&apos;s own accounts (OpenID Connect)
          </a>
        </p>
      </div>
    </div>
  );
}
