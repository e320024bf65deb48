import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AGENCY_KINDS } from "../lib/organisation";
import { Button, CsrfInput, ErrorSummary, NotificationBanner, Select, Tag, TextInput, valueOf } from "../components/govuk";
import { AGENCY_KIND_LABELS, agencySchema } from "../forms/admin";
import { handleForm, type FormFailure } from "../lib/http.server";
import { listAgenciesForAdmin, saveAgency } from "../services/admin.server";
import { requireRole } from "../services/authorise.server";

export const meta: MetaFunction = () => [{ title: "Agencies – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = requireRole(context, "admin");
  return json({ agencies: await listAgenciesForAdmin(context, { user, ip: context.ip }) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireRole(context, "admin");
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
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-visually-hidden">Agencies</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Name
            </th>
            <th scope="col" className="govuk-table__header">
              Kind
            </th>
            <th scope="col" className="govuk-table__header">
              Status
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {agencies.map((a) => (
            <tr className="govuk-table__row" key={a.id}>
              <td className="govuk-table__cell">
                <a className="govuk-link" href={`/admin/agencies/${a.id}`}>
                  {a.name}
                </a>
              </td>
              <td className="govuk-table__cell">{AGENCY_KIND_LABELS[a.kind]}</td>
              <td className="govuk-table__cell">{a.active ? <Tag colour="green">Active</Tag> : <Tag colour="grey">Inactive</Tag>}</td>
            </tr>
          ))}
        </tbody>
      </table>
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
