import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { organisationSite, signedInRedirect } from "../lib/http.server";
import { finishOrganisationSignIn } from "../services/organisation-sign-in.server";

/** The identity provider sends the person back here with a code, or with why not. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const result = await finishOrganisationSignIn(context, {
    callbackUrl: new URL(request.url),
    site: organisationSite(request, context),
    ip: context.ip,
    previousSessionId: context.sessionId ?? context.halfSignedIn?.sessionId ?? null,
    browserToken: context.csrfToken,
  });
  if (result.ok) return signedInRedirect(context, result.token, result.returnTo);
  return redirect(`/sign-in?organisation=${result.problem}`);
}
