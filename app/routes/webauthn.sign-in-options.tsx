import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { FormError } from "../lib/errors";
import { passkeySite, readForm } from "../lib/http.server";
import { passkeyActor } from "../services/authorise.server";
import { passkeySignInOptions } from "../services/passkeys.server";

/** Options for the browser to sign in with one of the person's passkeys (second step of signing in). */
export async function action({ request, context }: ActionFunctionArgs) {
  await readForm(request, context);
  const who = passkeyActor(context, "code", { halfSignedInOnly: true });
  try {
    return json(await passkeySignInOptions(context, { ...who, site: passkeySite(request, context) }));
  } catch (error) {
    if (error instanceof FormError) return json({ ok: false, message: Object.values(error.fieldErrors)[0] }, { status: 422 });
    throw error;
  }
}
