import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, NotificationBanner, TextInput, valueOf } from "../components/govuk";
import { signInSchema } from "../forms/admin";
import { formValues, validate } from "../lib/validation";
import { formFailure, readForm, returnToOf, signedInRedirect, type FormFailure } from "../lib/http.server";
import { signIn } from "../services/auth.server";
import { agenciesWithSignIn } from "../services/organisation-sign-in.server";

/** What went wrong at an organisation's sign-in, in words for the person (the detail is in the audit trail). */
const ORGANISATION_PROBLEMS: Record<string, string> = {
  expired: "That sign-in has expired or was already used. Start again.",
  provider: "Your organisation's sign-in did not answer as expected. Try again, or sign in with your password.",
  no_email: "Your organisation's account did not give Threshold a verified email address.",
  domain: "Your organisation's account uses an email address this organisation may not sign in with here.",
  unknown_person: "There is no Threshold account for your organisation's email address. Ask your administrator to add you.",
};

export const meta: MetaFunction<typeof loader, Record<string, unknown>> = () => [{ title: "Sign in – Threshold" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const returnTo = returnToOf(request, new URL(request.url).searchParams.get("returnTo"));
  if (context.user) throw redirect(returnTo);
  const search = new URL(request.url).searchParams;
  return json({
    returnTo,
    passwordSet: search.get("password") === "set",
    codesEnded: search.get("ended") === "codes",
    signedOutEverywhere: search.get("signedOut") === "everywhere",
    organisations: await agenciesWithSignIn(context),
    organisationProblem: ORGANISATION_PROBLEMS[search.get("organisation") ?? ""] ?? null,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request, context);
  const values = formValues(formData);
  delete values.password; // never sent back to the page
  const returnTo = returnToOf(request, formData.get("returnTo"));
  const parsed = validate(signInSchema, {
    email: formData.get("email") ?? "",
    password: formData.get("password") ?? "",
  });
  if (!parsed.ok) return formFailure(parsed.errors, values, 400);

  const result = await signIn(context, {
    email: parsed.data.email,
    password: parsed.data.password,
    ip: context.ip,
    previousSessionId: context.sessionId,
  });
  if (result.ok) {
    // Half signed in: the second factor comes next, and only its page can be reached.
    if (result.pending === "code")
      return signedInRedirect(context, result.token, `/sign-in/two-factor?returnTo=${encodeURIComponent(returnTo)}`);
    if (result.pending === "set_up") {
      return signedInRedirect(context, result.token, `/sign-in/set-up-two-factor?returnTo=${encodeURIComponent(returnTo)}`);
    }
    return signedInRedirect(context, result.token, returnTo);
  }
  if (result.reason === "throttled") {
    const seconds = Math.max(1, Math.ceil((result.until.getTime() - context.clock.now().getTime()) / 1000));
    const wait = seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
    return formFailure({ email: `You have entered an incorrect password several times. Wait ${wait} before trying again.` }, values, 429);
  }
  if (result.reason === "rate_limited") {
    return formFailure({ email: "There have been too many sign-in attempts from your network. Try again in 15 minutes." }, values, 429);
  }
  return formFailure({ email: "Email or password is incorrect" }, values, 401);
}

export default function SignIn() {
  const { returnTo, passwordSet, codesEnded, signedOutEverywhere, organisations, organisationProblem } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const errors = failure?.errors;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {passwordSet && !errors ? <NotificationBanner>Your password is set. Sign in to continue.</NotificationBanner> : null}
        {signedOutEverywhere && !errors ? <NotificationBanner>You have been signed out on every device.</NotificationBanner> : null}
        {codesEnded && !errors ? (
          <div className="govuk-inset-text">You entered too many wrong security codes. Sign in again with your password.</div>
        ) : null}
        <ErrorSummary errors={errors ?? (organisationProblem ? { form: organisationProblem } : undefined)} />
        <h1 className="govuk-heading-l">Sign in to Threshold</h1>
        <p className="govuk-body">
          Threshold runs multi-agency step-up and step-down panels. Sign in with the email address your administrator registered for you.
        </p>
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="returnTo" value={returnTo} />
          <TextInput
            name="email"
            label="Email address"
            type="email"
            autoComplete="username"
            spellCheck={false}
            defaultValue={valueOf(failure?.values, "email")}
            error={errors?.email}
          />
          <TextInput name="password" label="Password" type="password" autoComplete="current-password" error={errors?.password} />
          <Button>Sign in</Button>
        </Form>
        {organisations.length ? (
          <>
            <h2 className="govuk-heading-m">Or sign in with your organisation&apos;s account</h2>
            <ul className="govuk-list">
              {organisations.map((o) => (
                <li key={o.id}>
                  <a className="govuk-link" href={`/sign-in/organisation?agency=${o.id}&returnTo=${encodeURIComponent(returnTo)}`}>
                    Sign in with {o.name}
                  </a>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            If a child is at immediate risk of harm, contact the front door now. Do not wait for a panel.
          </strong>
        </div>
      </div>
    </div>
  );
}
