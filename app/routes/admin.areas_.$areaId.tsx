import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, TextInput, valueOf } from "../components/govuk";
import { areaSchema } from "../forms/admin";
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
  return handleForm(request, context, areaSchema, async (input) => {
    await saveArea(context, { user, ip: context.ip }, { ...input, id });
    return redirect("/admin/areas?saved=1");
  });
}

export default function EditArea() {
  const { area } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
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
          <TextInput
            name="name"
            label="Name"
            defaultValue={valueOf(failure?.values ?? { name: area.name }, "name")}
            error={failure?.errors.name}
          />
          <Button>Save changes</Button>
        </Form>
      </div>
    </div>
  );
}
