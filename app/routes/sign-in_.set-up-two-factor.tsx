import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary } from "../components/govuk";
import { AddPasskey } from "../components/passkeys";
import { CancelSignIn, RecoveryCodes, SetUpTwoFactor } from "../components/two-factor";
import { formFailure, readForm, returnToOf, signedInHeaders, type FormFailure } from "../lib/http.server";
import { beginSetUp, confirmSetUpAtSignIn } from "../services/second-factor.server";

export const meta: MetaFunction = () => [{ title: "Set up two-factor authentication – Threshold" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const returnTo = returnToOf(request, new URL(request.url).searchParams.get("returnTo"));
  // Just finished: the page shows the recovery codes the action returned.
  if (context.user) return json({ returnTo, setUp: null });
  if (!context.halfSignedIn) throw redirect("/sign-in");
  if (context.halfSignedIn.pending === "code") throw redirect(`/sign-in/two-factor?returnTo=${encodeURIComponent(returnTo)}`);
  return json({ returnTo, setUp: await beginSetUp(context, context.halfSignedIn.userId) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request, context);
  const returnTo = returnToOf(request, formData.get("returnTo"));
  const half = context.halfSignedIn;
  if (!half || half.pending !== "set_up") throw redirect("/sign-in");
  const code = String(formData.get("code") ?? "").trim();
  if (!/^\d{6}$/.test(code.replace(/\s+/g, "")))
    return formFailure({ code: "Enter the 6-digit code your authenticator app shows" }, {}, 400);
  const done = await confirmSetUpAtSignIn(context, { sessionId: half.sessionId, userId: half.userId, code, ip: context.ip });
  return json({ codes: done.codes, returnTo }, { headers: await signedInHeaders(context, done.token) });
}

export default function SetUpTwoFactorAtSignIn() {
  const { returnTo, setUp } = useLoaderData<typeof loader>();
  const result = useActionData<FormFailure | { codes: string[]; returnTo: string }>();
  if (result && "codes" in result) return <RecoveryCodes codes={result.codes} continueHref={result.returnTo} />;
  if (!setUp) return <RecoveryCodesGone returnTo={returnTo} />;
  const errors = result && "errors" in result ? result.errors : undefined;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <h1 className="govuk-heading-l">Set up two-factor authentication</h1>
        <p className="govuk-body">
          Your role must sign in with a code from your phone as well as your password. This keeps children&apos;s records safe if your
          password is ever guessed or stolen.
        </p>
        <h2 className="govuk-heading-m">With an authenticator app</h2>
        <SetUpTwoFactor setUp={setUp} errors={errors}>
          <input type="hidden" name="returnTo" value={returnTo} />
        </SetUpTwoFactor>
        <h2 className="govuk-heading-m">Or with a passkey</h2>
        <p className="govuk-body">Use your fingerprint, face or device PIN instead of a code, if your device offers it.</p>
        <AddPasskey continueHref={returnTo} />
        <CancelSignIn />
      </div>
    </div>
  );
}

function RecoveryCodesGone({ returnTo }: { returnTo: string }) {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Two-factor authentication is set up</h1>
        <a className="govuk-button" href={returnTo}>
          Continue
        </a>
      </div>
    </div>
  );
}
