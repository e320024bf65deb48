import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, Checkboxes, CsrfInput, NotificationBanner } from "../components/govuk";
import { ROLE_NAMES } from "../lib/navigation";
import { ROLES, type Role } from "../lib/organisation";
import { readForm } from "../lib/http.server";
import { actorMay } from "../services/authorise.server";
import { roleSecondFactorSettings, saveRoleSecondFactorSettings } from "../services/second-factor.server";

export const meta: MetaFunction = () => [{ title: "Sign-in security – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  actorMay(context, "administer");
  return json({ roles: await roleSecondFactorSettings(context, context.settings.twoFactorByDefault) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = actorMay(context, "administer");
  const form = await readForm(request, context);
  const chosen = form.getAll("required").map(String);
  if (chosen.some((r) => !(ROLES as readonly string[]).includes(r))) throw new Response("The request was not understood", { status: 400 });
  await saveRoleSecondFactorSettings(context, actor, chosen as Role[]);
  return redirect("/admin/security?saved=yes");
}

export default function SignInSecurity() {
  const { roles } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {search.get("saved") ? <NotificationBanner>Sign-in security saved.</NotificationBanner> : null}
        <h1 className="govuk-heading-l">Sign-in security</h1>
        <p className="govuk-body">
          People in a role that requires two-factor authentication set it up at their next sign-in and then give a code from their phone
          every time. Threshold holds children&apos;s records: leave it required for every role unless your information governance lead has
          agreed otherwise.
        </p>
        <Form method="post">
          <CsrfInput />
          <Checkboxes
            name="required"
            legend="Roles that must use two-factor authentication"
            values={{ required: roles.filter((r) => r.required).map((r) => r.role) }}
            options={roles.map((r) => ({ value: r.role, label: ROLE_NAMES[r.role] }))}
          />
          <Button>Save</Button>
        </Form>
      </div>
    </div>
  );
}
