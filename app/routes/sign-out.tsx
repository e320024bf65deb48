import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { readForm } from "../lib/http.server";
import { signOut } from "../services/auth.server";

export async function loader() {
  return redirect("/");
}

/** Ends this session, or with `everywhere=yes` every session of the person (a lost laptop, a shared computer). */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const everywhere = form.get("everywhere") === "yes";
  const session = context.user && context.sessionId ? { sessionId: context.sessionId, userId: context.user.id } : context.halfSignedIn;
  if (session) await signOut(context, { sessionId: session.sessionId, userId: session.userId, ip: context.ip, everywhere });
  const to = everywhere ? "/sign-in?signedOut=everywhere" : "/sign-in";
  return redirect(to, { headers: { "Set-Cookie": await context.cookies.destroySession() } });
}
