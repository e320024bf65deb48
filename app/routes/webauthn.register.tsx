import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { FormError } from "../lib/errors";
import { jsonField, passkeySite, readForm, signedInHeaders } from "../lib/http.server";
import { passkeyActor } from "../services/authorise.server";
import { registerPasskey } from "../services/passkeys.server";
import { promoteSession } from "../services/second-factor.server";

/**
 * Keeps the passkey the browser made. Set up during sign-in, it also finishes
 * signing in (a new session and anti-forgery token). New recovery codes, if
 * any, come back this once.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const who = passkeyActor(context, "set_up");
  const name =
    String(form.get("name") ?? "")
      .trim()
      .slice(0, 60) || "Passkey";
  try {
    const { codes } = await registerPasskey(context, {
      ...who,
      site: passkeySite(request, context),
      response: jsonField<RegistrationResponseJSON>(form, "response"),
      name,
      ip: context.ip,
    });
    if (!context.halfSignedIn) return json({ ok: true, codes });
    const promoted = await promoteSession(context, { ...who, ip: context.ip, detail: { factor: "passkey", setUp: true } });
    return json({ ok: true, codes }, { headers: await signedInHeaders(context, promoted.token) });
  } catch (error) {
    if (error instanceof FormError) return json({ ok: false, message: Object.values(error.fieldErrors)[0] }, { status: 422 });
    throw error;
  }
}
