import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, TextInput, valueOf } from "../components/govuk";
import { agencySignInSchema } from "../forms/admin";
import { handleForm, type FormFailure } from "../lib/http.server";
import { idParam } from "../lib/params";
import { agencySignInForAdmin, saveAgencySignIn } from "../services/admin.server";
import { actorMay } from "../services/authorise.server";

export const meta: MetaFunction = () => [{ title: "Organisation sign-in – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorMay(context, "administer");
  const id = idParam(params.agencyId);
  const { agency, signIn } = await agencySignInForAdmin(context, actor, id);
  return json({
    agency: { id: agency.id, name: agency.name },
    values: {
      issuer: signIn?.oidc_issuer ?? "",
      clientId: signIn?.oidc_client_id ?? "",
      domains: ((signIn?.oidc_email_domains ?? []) as string[]).join(", "),
    },
    hasSecret: Boolean(signIn?.oidc_client_secret),
    callback: `${context.settings.appUrl}/sign-in/organisation/callback`,
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorMay(context, "administer");
  const id = idParam(params.agencyId);
  return handleForm(request, context, agencySignInSchema, async (input) => {
    await saveAgencySignIn(context, actor, id, input);
    return redirect("/admin/agencies?saved=1");
  });
}

export default function AgencySignIn() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const values = failure?.values ?? data.values;
  const errors = failure?.errors;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href={`/admin/agencies/${data.agency.id}`} className="govuk-back-link">
          Back to {data.agency.name}
        </a>
        <ErrorSummary errors={errors} />
        <h1 className="govuk-heading-l">Sign in with {data.agency.name}&apos;s own accounts</h1>
        <p className="govuk-body">
          Staff whose email is in one of the domains below can sign in through this organisation&apos;s identity provider (OpenID Connect),
          with its own two-factor checks. Nobody is added by it: each person still needs a Threshold account with the same email address.
          Register Threshold at the provider with the return address <code className="app-break">{data.callback}</code>. Leave everything
          blank to turn it off.
        </p>
        <Form method="post" noValidate>
          <CsrfInput />
          <TextInput
            name="issuer"
            label="Issuer"
            hint="For example, https://login.microsoftonline.com/…/v2.0"
            spellCheck={false}
            defaultValue={valueOf(values, "issuer")}
            error={errors?.issuer}
          />
          <TextInput
            name="clientId"
            label="Client ID"
            spellCheck={false}
            defaultValue={valueOf(values, "clientId")}
            error={errors?.clientId}
          />
          <TextInput
            name="clientSecret"
            label="Client secret"
            type="password"
            autoComplete="off"
            hint={data.hasSecret ? "A secret is saved. Leave blank to keep it." : "Leave blank if the provider gave none."}
            error={errors?.clientSecret}
          />
          <TextInput
            name="domains"
            label="Email domains"
            hint="Separated by commas, for example cheshire.gov.uk, nhs.net"
            spellCheck={false}
            defaultValue={valueOf(values, "domains")}
            error={errors?.domains}
          />
          <Button>Save</Button>
        </Form>
      </div>
    </div>
  );
}
