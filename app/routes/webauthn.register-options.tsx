import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { passkeySite, readForm } from "../lib/http.server";
import { passkeyRegistrationOptions } from "../services/passkeys.server";
import { passkeyActor } from "../services/authorise.server";

/** Options for the browser to make a passkey: for someone signed in, or someone setting up their second factor at sign-in. */
export async function action({ request, context }: ActionFunctionArgs) {
  await readForm(request, context);
  const who = passkeyActor(context, "set_up");
  return json(await passkeyRegistrationOptions(context, { ...who, site: passkeySite(request, context) }));
}
