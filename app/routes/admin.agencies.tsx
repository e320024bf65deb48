import { AGENCY_KIND_LABELS } from "../lib/labels";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AGENCY_KINDS } from "../lib/organisation";
import { Button, CsrfInput, ErrorSummary, NotificationBanner, Select, Tag, TextInput, valueOf, Table } from "../components/govuk";
import { agencySchema } from "../forms/admin";
import { handleForm, type FormFailure } from "../lib/http.server";
import { listAgenciesForAdmin, saveAgency } from "../services/admin.server";
import { actorMay } from "../services/authorise.server";

export const meta: MetaFunction = () => [{ title: "Agencies – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const { user } = actorMay(context, "administer");
  return json({ agencies: await listAgenciesForAdmin(context, { user, ip: context.ip }) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = actorMay(context, "administer");
  return handleForm(request, context, agencySchema, async (input) => {
    await saveAgency(context, { user, ip: context.ip }, input);
    return redirect("/admin/agencies?saved=1");
  });
}

export default function Agencies() {
  const { agencies } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const [params] = useSearchParams();
  return (
    <>
      {params.get("saved") ? <NotificationBanner>Agency saved.</NotificationBanner> : null}
      <ErrorSummary errors={failure?.errors} />
      <h1 className="govuk-heading-l">Agencies</h1>
      <Table
        caption="Agencies"
        rows={agencies}
        rowKey={(a) => a.id}
        columns={[
          {
            header: "Name",
            cell: (a) => (
              <>
                <a className="govuk-link" href={`/admin/agencies/${a.id}`}>
                  {a.name}
                </a>
              </>
            ),
          },
          { header: "Kind", cell: (a) => AGENCY_KIND_LABELS[a.kind] },
          { header: "Status", cell: (a) => (a.active ? <Tag colour="green">Active</Tag> : <Tag colour="grey">Inactive</Tag>) },
        ]}
      />
      <h2 className="govuk-heading-m">Add an agency</h2>
      <Form method="post" noValidate className="govuk-!-width-two-thirds">
        <CsrfInput />
        <TextInput name="name" label="Name" defaultValue={valueOf(failure?.values, "name")} error={failure?.errors.name} />
        <Select
          name="kind"
          label="Kind of agency"
          placeholder="Select the kind of agency"
          defaultValue={valueOf(failure?.values, "kind")}
          error={failure?.errors.kind}
          options={AGENCY_KINDS.map((k) => ({ value: k, label: AGENCY_KIND_LABELS[k] }))}
        />
        <Button>Add agency</Button>
      </Form>
    </>
  );
}
