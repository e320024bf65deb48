import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, TextInput } from "../components/govuk";
import { formFailure, readForm, returnToOf, signedInRedirect, type FormFailure } from "../lib/http.server";
import { PasskeySignIn } from "../components/passkeys";
import { CancelSignIn } from "../components/two-factor";
import { completeSignIn, secondFactorsOf } from "../services/second-factor.server";
import { waitInWords } from "../services/guess-throttle.server";

export const meta: MetaFunction = () => [{ title: "Enter your security code – Threshold" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const returnTo = returnToOf(request, new URL(request.url).searchParams.get("returnTo"));
  if (context.user) throw redirect(returnTo);
  if (!context.halfSignedIn) throw redirect("/sign-in");
  if (context.halfSignedIn.pending === "set_up") throw redirect(`/sign-in/set-up-two-factor?returnTo=${encodeURIComponent(returnTo)}`);
  const factors = await secondFactorsOf(context, context.halfSignedIn.userId);
  return json({ returnTo, ...factors });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request, context);
  const returnTo = returnToOf(request, formData.get("returnTo"));
  const half = context.halfSignedIn;
  if (!half || half.pending !== "code") throw redirect("/sign-in");
  const code = String(formData.get("code") ?? "").trim();
  if (!code) return formFailure({ code: "Enter the 6-digit code from your authenticator app, or a recovery code" }, {}, 400);
  if (code.length > 64) return formFailure({ code: "Enter the 6-digit code from your authenticator app, or a recovery code" }, {}, 400);
  const result = await completeSignIn(context, { sessionId: half.sessionId, userId: half.userId, code, ip: context.ip });
  if (result.ok) return signedInRedirect(context, result.token, returnTo);
  if (result.ended) {
    throw redirect("/sign-in?ended=codes", { headers: { "Set-Cookie": await context.cookies.destroySession() } });
  }
  const wait = result.until ? waitInWords(result.until, context.clock.now()) : null;
  if (result.unchecked) {
    return formFailure({ code: `Too many wrong codes: wait ${wait}, then enter the code your app shows then` }, {}, 429);
  }
  const notRight = "The code is not right. Enter the code your app shows now, or a recovery code you have not used";
  return formFailure({ code: wait ? `${notRight}. Too many wrong codes: wait ${wait} first` : notRight }, {}, 401);
}

export default function TwoFactorCode() {
  const { returnTo, app, passkeys } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={failure?.errors} />
        <h1 className="govuk-heading-l">Enter your security code</h1>
        {passkeys ? <PasskeySignIn returnTo={returnTo} /> : null}
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="returnTo" value={returnTo} />
          <TextInput
            name="code"
            label="Security code"
            hint={
              app
                ? "The 6-digit code your authenticator app shows now. Without your phone, enter one of your recovery codes."
                : "Without your passkey, enter one of your recovery codes."
            }
            width="10"
            autoComplete="one-time-code"
            spellCheck={false}
            error={failure?.errors.code}
          />
          <Button>Continue</Button>
        </Form>
        <details className="govuk-details">
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">I have lost my phone and my recovery codes</span>
          </summary>
          <div className="govuk-details__text">
            Ask your administrator to reset two-factor authentication for your account. They will check it is you first; you then set it up
            again the next time you sign in.
          </div>
        </details>
        <CancelSignIn />
      </div>
    </div>
  );
}
