import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRevalidator, useSearchParams } from "@remix-run/react";
import { Button, CsrfInput, ErrorSummary, NotificationBanner, Table, TextInput } from "../components/govuk";
import { AddPasskey } from "../components/passkeys";
import { RecoveryCodes, SetUpTwoFactor } from "../components/two-factor";
import { formatDateTime } from "../lib/dates";
import { FormError } from "../lib/errors";
import { formFailure, readForm, type FormFailure } from "../lib/http.server";
import { actorOf } from "../services/authorise.server";
import { removeOwnPasskey } from "../services/passkeys.server";
import { beginSetUp, confirmSetUp, renewRecoveryCodes, secondFactorStatus, turnOffOwnSecondFactor } from "../services/second-factor.server";

export const meta: MetaFunction = () => [{ title: "Two-factor authentication – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const actor = actorOf(context);
  const status = await secondFactorStatus(context, actor);
  return json({
    status: {
      ...status,
      passkeys: status.passkeys.map((p) => ({
        id: p.id,
        name: p.name,
        added: formatDateTime(p.createdAt),
        lastUsed: p.lastUsedAt ? formatDateTime(p.lastUsedAt) : "Not yet",
      })),
    },
    setUp: status.app ? null : await beginSetUp(context, actor.user.id),
  });
}

/** Each form has its own code field (one page, distinct ids). */
const CODE_FIELD: Record<string, string> = { confirm: "code", renew: "renewCode", "turn-off": "offCode" };

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = actorOf(context);
  const form = await readForm(request, context);
  const intent = String(form.get("intent") ?? "");
  if (intent === "remove-passkey") {
    try {
      await removeOwnPasskey(context, actor, String(form.get("passkey") ?? ""));
    } catch (error) {
      if (error instanceof FormError) return formFailure({ passkeys: Object.values(error.fieldErrors)[0] }, { intent });
      throw error;
    }
    return redirect("/account/two-factor?done=removed");
  }
  const field = CODE_FIELD[intent];
  if (!field) throw new Response("The request was not understood", { status: 400 });
  const code = String(form.get(field) ?? "").trim();
  if (!code || code.length > 64)
    return formFailure({ [field]: "Enter the 6-digit code your authenticator app shows, or a recovery code" }, { intent });
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

const DONE: Record<string, string> = {
  off: "Two-factor authentication is off.",
  removed: "The passkey is removed.",
  added: "The passkey is added.",
};

export default function ManageTwoFactor() {
  const { status, setUp } = useLoaderData<typeof loader>();
  const result = useActionData<FormFailure | { codes: string[] }>();
  const [search] = useSearchParams();
  const revalidator = useRevalidator();
  if (result && "codes" in result) return <RecoveryCodes codes={result.codes} continueHref="/account" />;
  const errors = result && "errors" in result ? result.errors : undefined;
  const done = DONE[search.get("done") ?? ""];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <a href="/account" className="govuk-back-link">
          Back to your account
        </a>
        <ErrorSummary errors={errors} />
        {done && !errors ? <NotificationBanner>{done}</NotificationBanner> : null}
        <h1 className="govuk-heading-l">Two-factor authentication</h1>
        <p className="govuk-body">
          {status.required
            ? "Your role must sign in with a second factor: a code from an authenticator app, or a passkey."
            : "Add a second factor to your password, so a stolen password alone cannot open children's records."}
        </p>

        <h2 className="govuk-heading-m">Authenticator app</h2>
        {setUp ? (
          <SetUpTwoFactor setUp={setUp} errors={errors} />
        ) : (
          <p className="govuk-body">You sign in with a code from your authenticator app.</p>
        )}

        <h2 className="govuk-heading-m">Passkeys</h2>
        {errors?.passkeys ? (
          <p className="govuk-error-message" id="passkeys">
            <span className="govuk-visually-hidden">Error:</span> {errors.passkeys}
          </p>
        ) : null}
        {status.passkeys.length ? (
          <Table
            caption="Your passkeys"
            rows={status.passkeys}
            rowKey={(p) => p.id}
            columns={[
              { header: "Name", cell: (p) => p.name },
              { header: "Added", cell: (p) => p.added },
              { header: "Last used", cell: (p) => p.lastUsed },
              {
                header: "Action",
                cell: (p) => (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="remove-passkey" />
                    <input type="hidden" name="passkey" value={p.id} />
                    <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
                      Remove<span className="govuk-visually-hidden"> {p.name}</span>
                    </button>
                  </Form>
                ),
              },
            ]}
          />
        ) : (
          <p className="govuk-body">
            A passkey lets you sign in with your fingerprint, face or device PIN instead of typing a code. You have none yet.
          </p>
        )}
        <AddPasskey continueHref="/account/two-factor?done=added" onAdded={() => revalidator.revalidate()} />

        {status.enabled ? (
          <>
            <h2 className="govuk-heading-m">Recovery codes</h2>
            <p className="govuk-body">
              You have {status.recoveryCodesLeft} unused recovery {status.recoveryCodesLeft === 1 ? "code" : "codes"} left. New ones replace
              them all.
            </p>
            <Form method="post" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="renew" />
              <CodeField name="renewCode" error={errors?.renewCode} />
              <Button secondary>Get new recovery codes</Button>
            </Form>
            {status.required ? null : (
              <>
                <h2 className="govuk-heading-m">Turn off two-factor authentication</h2>
                <p className="govuk-body">This removes the app, your passkeys and your recovery codes.</p>
                <Form method="post" noValidate>
                  <CsrfInput />
                  <input type="hidden" name="intent" value="turn-off" />
                  <CodeField name="offCode" error={errors?.offCode} />
                  <Button warning>Turn off two-factor authentication</Button>
                </Form>
              </>
            )}
          </>
        ) : null}
      </div>
    </div>
  );
}

function CodeField({ name, error }: { name: string; error?: string }) {
  return (
    <TextInput
      name={name}
      label="A code from your authenticator app, or a recovery code"
      width="20"
      autoComplete="one-time-code"
      spellCheck={false}
      error={error}
    />
  );
}
