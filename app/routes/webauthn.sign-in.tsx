import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { jsonField, passkeySite, readForm, returnToOf, signedInHeaders } from "../lib/http.server";
import { passkeyActor } from "../services/authorise.server";
import { completeSignInWithPasskey } from "../services/passkeys.server";

/** The second step of signing in, with a passkey: a whole session and a new anti-forgery token, or why not. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const who = passkeyActor(context, "code", { halfSignedInOnly: true });
  const returnTo = returnToOf(request, form.get("returnTo"));
  const result = await completeSignInWithPasskey(context, {
    ...who,
    site: passkeySite(request, context),
    response: jsonField<AuthenticationResponseJSON>(form, "response"),
    ip: context.ip,
  });
  if (result.ok) return json({ ok: true, redirect: returnTo }, { headers: await signedInHeaders(context, result.token) });
  if (result.ended) {
    return json(
      { ok: false, redirect: "/sign-in?ended=codes" },
      { status: 401, headers: { "Set-Cookie": await context.cookies.destroySession() } },
    );
  }
  return json({ ok: false, message: "That passkey was not accepted. Try again, or enter a code." }, { status: 401 });
}
