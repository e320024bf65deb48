import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, NotificationBanner } from "../components/govuk";
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
  const [search] = useSearchParams();
  const values = failure?.values ?? {
    name: target.name,
    email: target.email,
    role: target.role,
    agencyId: String(target.agency_id),
    areaId: target.area_id ? String(target.area_id) : target.all_areas ? "all" : "",
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
        <h2 className="govuk-heading-m">Two-factor authentication</h2>
        {search.get("done") === "reset" ? (
          <NotificationBanner>
            Two-factor authentication is reset and {target.name} is signed out. They set it up again when they next sign in.
          </NotificationBanner>
        ) : null}
        <p className="govuk-body">
          {target.totp_enabled_at
            ? `${target.name} uses an authenticator app.`
            : `${target.name} has not set up two-factor authentication.`}
        </p>
        {target.totp_enabled_at ? (
          <>
            <p className="govuk-body">
              If they have lost their phone and their recovery codes, check it is really them (for example by calling them back on a number
              you already hold), then reset it. This is recorded in the audit trail.
            </p>
            <Form method="post" action={`/admin/users/${target.id}/reset-two-factor`}>
              <CsrfInput />
              <Button warning>Reset two-factor authentication</Button>
            </Form>
          </>
        ) : null}
      </div>
    </div>
  );
}
