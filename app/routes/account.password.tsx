import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, NotificationBanner, TextInput } from "../components/govuk";
import { changePasswordSchema } from "../forms/admin";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { validate } from "../lib/validation";
import { changeOwnPassword } from "../services/auth.server";
import { requireUser } from "../services/authorise.server";

export const meta: MetaFunction = () => [{ title: "Change your password – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  requireUser(context);
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context);
  const form = await readForm(request, context);
  // Passwords are never sent back to the page, even when the form has errors.
  const parsed = validate(changePasswordSchema, {
    current: String(form.get("current") ?? ""),
    password: String(form.get("password") ?? ""),
    confirm: String(form.get("confirm") ?? ""),
  });
  if (!parsed.ok) return formFailure(parsed.errors, {});
  await changeOwnPassword(context, { user, sessionId: context.sessionId!, ip: context.ip }, parsed.data);
  return redirect("/account/password?done=changed");
}

export default function ChangePassword() {
  const failure = useActionData<FormFailure>();
  const [search] = useSearchParams();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={failure?.errors} />
        {search.get("done") === "changed" ? (
          <NotificationBanner>Your password has been changed. You have been signed out everywhere else.</NotificationBanner>
        ) : null}
        <h1 className="govuk-heading-l">Change your password</h1>
        <Form method="post" noValidate>
          <CsrfInput />
          <TextInput
            name="current"
            label="Current password"
            type="password"
            autoComplete="current-password"
            error={failure?.errors.current}
          />
          <TextInput
            name="password"
            label="New password"
            hint="At least 12 characters. Not a common password, and not your name or email address. Three or four random words work well."
            type="password"
            autoComplete="new-password"
            error={failure?.errors.password}
          />
          <TextInput
            name="confirm"
            label="Confirm the new password"
            type="password"
            autoComplete="new-password"
            error={failure?.errors.confirm}
          />
          <Button>Change password</Button>
        </Form>
      </div>
    </div>
  );
}
