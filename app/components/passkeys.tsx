import { browserSupportsWebAuthn, startAuthentication, startRegistration } from "@simplewebauthn/browser";
import { useRouteLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { RecoveryCodes } from "./two-factor";

function useCsrf() {
  return useRouteLoaderData<{ csrfToken: string }>("root")?.csrfToken ?? "";
}

/** Passkeys need the browser's WebAuthn, and so JavaScript: without either, nothing is offered. */
function useWebAuthn() {
  const [supported, setSupported] = useState(false);
  useEffect(() => setSupported(browserSupportsWebAuthn()), []);
  return supported;
}

async function post(path: string, fields: Record<string, string>) {
  const response = await fetch(path, { method: "POST", body: new URLSearchParams(fields), credentials: "same-origin" });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  return { ok: response.ok, body };
}

function Problem({ message }: { message: string | null }) {
  // Announced politely where it appears; focus stays on the button.
  return (
    <p className="govuk-error-message" role="status">
      {message ? (
        <>
          <span className="govuk-visually-hidden">Error:</span> {message}
        </>
      ) : null}
    </p>
  );
}

/** "Use a passkey" on the second step of signing in. */
export function PasskeySignIn({ returnTo }: { returnTo: string }) {
  const csrf = useCsrf();
  const supported = useWebAuthn();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!supported) return null;
  async function signIn() {
    setBusy(true);
    setProblem(null);
    try {
      const options = await post("/webauthn/sign-in-options", { csrf });
      if (!options.ok) throw new Error(String(options.body.message ?? "No passkey"));
      const answer = await startAuthentication({ optionsJSON: options.body as never });
      const result = await post("/webauthn/sign-in", { csrf, returnTo, response: JSON.stringify(answer) });
      if (typeof result.body.redirect === "string") return window.location.assign(result.body.redirect);
      setProblem(String(result.body.message ?? "That passkey was not accepted. Try again, or enter a code."));
    } catch (error) {
      setProblem(
        error instanceof Error && error.message !== "No passkey"
          ? "The passkey was not used. Try again, or enter a code."
          : "You have no passkey: enter a code.",
      );
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="govuk-!-margin-bottom-6">
      <h2 className="govuk-heading-m">Or use a passkey</h2>
      <Problem message={problem} />
      <button type="button" className="govuk-button govuk-button--secondary" onClick={signIn} disabled={busy} aria-disabled={busy}>
        Use a passkey
      </button>
    </div>
  );
}

/** "Add a passkey": on the account page, and as the way to set up a second factor at sign-in. */
export function AddPasskey({ continueHref, onAdded }: { continueHref: string; onAdded?: () => void }) {
  const csrf = useCsrf();
  const supported = useWebAuthn();
  const [problem, setProblem] = useState<string | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  if (!supported) return null;
  if (codes) return <RecoveryCodes codes={codes} continueHref={continueHref} />;
  async function add() {
    setBusy(true);
    setProblem(null);
    try {
      const options = await post("/webauthn/register-options", { csrf });
      if (!options.ok) throw new Error("options");
      const answer = await startRegistration({ optionsJSON: options.body as never });
      const result = await post("/webauthn/register", { csrf, name: name || "Passkey", response: JSON.stringify(answer) });
      if (!result.ok) return setProblem(String(result.body.message ?? "The passkey could not be added. Try again."));
      if (Array.isArray(result.body.codes)) return setCodes(result.body.codes as string[]);
      if (onAdded) return onAdded();
      window.location.assign(continueHref);
    } catch {
      setProblem("The passkey was not made. Try again.");
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="govuk-!-margin-bottom-6">
      <div className="govuk-form-group">
        <label className="govuk-label" htmlFor="passkey-name">
          Name for this passkey (optional)
        </label>
        <div className="govuk-hint" id="passkey-name-hint">
          So you can tell your passkeys apart, for example &quot;Work laptop&quot;
        </div>
        <input
          className="govuk-input govuk-input--width-20"
          id="passkey-name"
          aria-describedby="passkey-name-hint"
          maxLength={60}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <Problem message={problem} />
      <button type="button" className="govuk-button govuk-button--secondary" onClick={add} disabled={busy} aria-disabled={busy}>
        Add a passkey
      </button>
    </div>
  );
}
