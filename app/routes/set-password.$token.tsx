import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, TextInput } from "../components/govuk";
import { setPasswordSchema } from "../forms/admin";
import { validate } from "../lib/validation";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { passwordTokenIsUsable, setPasswordWithToken } from "../services/auth.server";

export const meta: MetaFunction = () => [{ title: "Choose your password – Threshold" }];

export async function loader({ context, params }: LoaderFunctionArgs) {
  return json({ usable: await passwordTokenIsUsable(context, params.token ?? "") });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const values = { password: String(form.get("password") ?? ""), confirm: String(form.get("confirm") ?? "") };
  const parsed = validate(setPasswordSchema, values);
  if (!parsed.ok) return formFailure(parsed.errors, {});
  const result = await setPasswordWithToken(context, { token: params.token ?? "", password: parsed.data.password, ip: context.ip });
  if (!result.ok)
    return formFailure({ form: "This link has expired or has already been used. Ask your administrator for a new one." }, {}, 410);
  return redirect("/sign-in?password=set");
}

export default function SetPassword() {
  const { usable } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  if (!usable && !failure) {
    return (
      <>
        <h1 className="govuk-heading-l">This link has expired</h1>
        <p className="govuk-body">The link has expired or has already been used. Ask your Threshold administrator for a new invitation.</p>
      </>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={failure?.errors} />
        <h1 className="govuk-heading-l">Choose your password</h1>
        <Form method="post" noValidate>
          <CsrfInput />
          <TextInput
            name="password"
            label="Password"
            hint="At least 12 characters. Not a common password, and not your name or email address. Three or four random words work well."
            type="password"
            autoComplete="new-password"
            error={failure?.errors.password}
          />
          <TextInput name="confirm" label="Confirm password" type="password" autoComplete="new-password" error={failure?.errors.confirm} />
          <Button>Save password</Button>
        </Form>
      </div>
    </div>
  );
}
