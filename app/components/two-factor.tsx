import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import type { FieldErrors } from "../lib/validation";
import { Button, CsrfInput, TextInput } from "./govuk";

/** Scanning the QR code, or typing the key, then giving back the app's first code. */
export function SetUpTwoFactor({
  setUp,
  errors,
  children,
}: {
  setUp: { manualKey: string; qrSvg: string };
  errors?: FieldErrors;
  children?: ReactNode;
}) {
  return (
    <>
      <ol className="govuk-list govuk-list--number">
        <li>Open an authenticator app on your phone (for example Microsoft Authenticator or Google Authenticator).</li>
        <li>Add an account in the app and scan this QR code.</li>
      </ol>
      <div
        className="app-qr"
        role="img"
        aria-label="QR code for your authenticator app; the key below says the same"
        dangerouslySetInnerHTML={{ __html: setUp.qrSvg }}
      />
      <p className="govuk-body">If you cannot scan it, choose to enter a key in the app and type this key (spaces do not matter):</p>
      <p className="govuk-body govuk-!-font-weight-bold app-key" id="manual-key">
        {setUp.manualKey}
      </p>
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="confirm" />
        <TextInput
          name="code"
          label="Enter the 6-digit code the app now shows"
          width="10"
          inputMode="numeric"
          autoComplete="one-time-code"
          spellCheck={false}
          error={errors?.code}
        />
        {children}
        <Button>Turn on two-factor authentication</Button>
      </Form>
    </>
  );
}

/** New recovery codes, shown once. */
export function RecoveryCodes({ codes, continueHref }: { codes: string[]; continueHref: string }) {
  return (
    <>
      <div className="govuk-panel govuk-panel--confirmation">
        <h1 className="govuk-panel__title">Save your recovery codes</h1>
        <div className="govuk-panel__body">You will not see them again</div>
      </div>
      <p className="govuk-body">
        If you lose your phone, each of these codes signs you in once instead of a code from the app. Print them or keep them somewhere safe
        that is not your phone.
      </p>
      <ul className="govuk-list app-recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <a className="govuk-button" href={continueHref}>
        I have saved my recovery codes
      </a>
    </>
  );
}

/** Leaving a half-finished sign-in: the session ends, and nothing was signed in. */
export function CancelSignIn() {
  return (
    <Form method="post" action="/sign-out">
      <CsrfInput />
      <button type="submit" className="govuk-button govuk-button--secondary">
        Cancel and sign out
      </button>
    </Form>
  );
}
