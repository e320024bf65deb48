import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { organisationSite, returnToOf } from "../lib/http.server";
import { startOrganisationSignIn } from "../services/organisation-sign-in.server";

/** "Sign in with your organisation's account": off to the agency's identity provider, which sends the person back. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const agencyId = Number(url.searchParams.get("agency"));
  if (!Number.isInteger(agencyId) || agencyId <= 0 || agencyId > 2_147_483_647)
    throw new Response("Choose your organisation", { status: 400 });
  const returnTo = returnToOf(request, url.searchParams.get("returnTo"));
  let target: URL | null;
  try {
    target = await startOrganisationSignIn(context, {
      agencyId,
      returnTo,
      site: organisationSite(request, context),
      browserToken: context.csrfToken,
    });
  } catch {
    return redirect("/sign-in?organisation=provider");
  }
  if (!target) throw new Response("That organisation does not sign in here", { status: 404 });
  return redirect(target.href);
}
