import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, NotificationBanner, TextInput, valueOf } from "../components/govuk";
import { areaSchema } from "../forms/admin";
import { handleForm, type FormFailure } from "../lib/http.server";
import { listAreasForAdmin, saveArea } from "../services/admin.server";
import { actorMay } from "../services/authorise.server";

export const meta: MetaFunction = () => [{ title: "Areas – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const { user } = actorMay(context, "administer");
  return json({ areas: await listAreasForAdmin(context, { user, ip: context.ip }) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = actorMay(context, "administer");
  return handleForm(request, context, areaSchema, async (input) => {
    await saveArea(context, { user, ip: context.ip }, input);
    return redirect("/admin/areas?saved=1");
  });
}

export default function Areas() {
  const { areas } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const [params] = useSearchParams();
  return (
    <>
      {params.get("saved") ? <NotificationBanner>Area saved.</NotificationBanner> : null}
      <ErrorSummary errors={failure?.errors} />
      <h1 className="govuk-heading-l">Areas</h1>
      <p className="govuk-body">Each area holds its own panels. Panels are scheduled per area.</p>
      <ul className="govuk-list govuk-list--bullet">
        {areas.map((a) => (
          <li key={a.id}>
            <a className="govuk-link" href={`/admin/areas/${a.id}`}>
              {a.name}
            </a>
          </li>
        ))}
      </ul>
      <h2 className="govuk-heading-m">Add an area</h2>
      <Form method="post" noValidate className="govuk-!-width-two-thirds">
        <CsrfInput />
        <TextInput name="name" label="Name" defaultValue={valueOf(failure?.values, "name")} error={failure?.errors.name} />
        <Button>Add area</Button>
      </Form>
    </>
  );
}
