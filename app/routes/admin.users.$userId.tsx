import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary } from "../components/govuk";
import { UserForm } from "../components/user-form";
import { userSchema } from "../forms/admin";
import { handleForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { editUser, getUserForAdmin, organisationOptions } from "../services/admin.server";
import { actorMay } from "../services/authorise.server";

export const meta: MetaFunction = () => [{ title: "Edit user – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const { user } = actorMay(context, "administer");
  const target = await getUserForAdmin(context, { user, ip: context.ip }, idParam(params.userId));
  return json({ target, ...(await organisationOptions(context)) });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user } = actorMay(context, "administer");
  const id = idParam(params.userId);
  return handleForm(request, context, userSchema, async (input) => {
    await editUser(context, { user, ip: context.ip }, id, input);
    return redirect("/admin/users?saved=edit");
  });
}

export default function EditUser() {
  const { target, areas, agencies } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const values = failure?.values ?? {
    name: target.name,
    email: target.email,
    role: target.role,
    agencyId: String(target.agency_id),
    areaId: target.area_id ? String(target.area_id) : "",
    active: target.active ? "yes" : "no",
  };
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/admin/users" className="govuk-back-link">
          Back to users
        </a>
        <ErrorSummary errors={failure?.errors} />
        <h1 className="govuk-heading-l">Edit {target.name}</h1>
        <UserForm isNew={false} values={values} errors={failure?.errors} areas={areas} agencies={agencies} />
      </div>
    </div>
  );
}
