import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary } from "../components/govuk";
import { UserForm } from "../components/user-form";
import { newUserSchema } from "../forms/admin";
import { handleForm, type FormFailure } from "../lib/http.server";
import { createUser, organisationOptions } from "../services/admin.server";
import { actorMay } from "../services/authorise.server";

export const meta: MetaFunction = () => [{ title: "Add a user – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  actorMay(context, "administer");
  return json(await organisationOptions(context));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = actorMay(context, "administer");
  return handleForm(request, context, newUserSchema, async (input) => {
    await createUser(context, { user, ip: context.ip }, input);
    return redirect("/admin/users?saved=new");
  });
}

export default function NewUser() {
  const { areas, agencies } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/admin/users" className="govuk-back-link">
          Back to users
        </a>
        <ErrorSummary errors={failure?.errors} />
        <h1 className="govuk-heading-l">Add a user</h1>
        <UserForm isNew values={failure?.values} errors={failure?.errors} areas={areas} agencies={agencies} />
      </div>
    </div>
  );
}
