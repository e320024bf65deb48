import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, NotificationBanner, TextInput } from "../components/govuk";
import { RecoveryCodes, SetUpTwoFactor } from "../components/two-factor";
import { FormError } from "../lib/errors";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { actorOf } from "../services/authorise.server";
import { beginSetUp, confirmSetUp, renewRecoveryCodes, secondFactorStatus, turnOffOwnSecondFactor } from "../services/second-factor.server";

export const meta: MetaFunction = () => [{ title: "Two-factor authentication – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorOf(context);
  const status = await secondFactorStatus(context, actor);
  return json({ status, setUp: status.enabled ? null : await beginSetUp(context, actor.user.id) });
}

/** Each form has its own code field (one page, distinct ids). */
const CODE_FIELD: Record<string, string> = { confirm: "code", renew: "renewCode", "turn-off": "offCode" };

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = actorOf(context);
  const form = await readForm(request, context);
  const intent = String(form.get("intent") ?? "");
  const field = CODE_FIELD[intent];
  if (!field) throw new Response("The request was not understood", { status: 400 });
  const code = String(form.get(field) ?? "").trim();
  if (!code || code.length > 64) return formFailure({ [field]: "Enter the 6-digit code your authenticator app shows" }, { intent });
  try {
    if (intent === "confirm") return json({ codes: await confirmSetUp(context, { userId: actor.user.id, code, ip: actor.ip }) });
    if (intent === "renew") return json({ codes: await renewRecoveryCodes(context, actor, code) });
    await turnOffOwnSecondFactor(context, actor, code);
    return redirect("/account/two-factor?done=off");
  } catch (error) {
    if (error instanceof FormError) return formFailure({ [field]: Object.values(error.fieldErrors)[0] }, { intent });
    throw error;
  }
}

export default function ManageTwoFactor() {
  const { status, setUp } = useLoaderData<typeof loader>();
  const result = useActionData<FormFailure | { codes: string[] }>();
  const [search] = useSearchParams();
  if (result && "codes" in result) return <RecoveryCodes codes={result.codes} continueHref="/account" />;
  const errors = result && "errors" in result ? result.errors : undefined;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/account" className="govuk-back-link">
          Back to your account
        </a>
        <ErrorSummary errors={errors} />
        {search.get("done") === "off" && !errors ? <NotificationBanner>Two-factor authentication is off.</NotificationBanner> : null}
        <h1 className="govuk-heading-l">Two-factor authentication</h1>
        {setUp ? (
          <>
            <p className="govuk-body">
              {status.required
                ? "Your role must use two-factor authentication."
                : "Add a code from your phone to your password, so a stolen password alone cannot open children's records."}
            </p>
            <SetUpTwoFactor setUp={setUp} errors={errors} />
          </>
        ) : (
          <>
            <p className="govuk-body">
              Two-factor authentication is on. You have {status.recoveryCodesLeft} unused recovery{" "}
              {status.recoveryCodesLeft === 1 ? "code" : "codes"} left.
            </p>
            <h2 className="govuk-heading-m">Get new recovery codes</h2>
            <p className="govuk-body">Your old recovery codes stop working.</p>
            <Form method="post" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="renew" />
              <CodeField name="renewCode" error={errors?.renewCode} />
              <Button secondary>Get new recovery codes</Button>
            </Form>
            {status.required ? null : (
              <>
                <h2 className="govuk-heading-m">Turn off two-factor authentication</h2>
                <Form method="post" noValidate>
                  <CsrfInput />
                  <input type="hidden" name="intent" value="turn-off" />
                  <CodeField name="offCode" error={errors?.offCode} />
                  <Button warning>Turn off two-factor authentication</Button>
                </Form>
              </>
            )}
          </>
        )}
      </div>
    </div>
  );
}

function CodeField({ name, error }: { name: string; error?: string }) {
  return (
    <TextInput
      name={name}
      label="Code from your authenticator app"
      width="10"
      autoComplete="one-time-code"
      spellCheck={false}
      error={error}
    />
  );
}
