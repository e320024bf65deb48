import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { readForm } from "../lib/http.server";
import { signOut } from "../services/auth.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  await readForm(request, context);
  if (context.user && context.sessionId) {
    await signOut(context, { sessionId: context.sessionId, userId: context.user.id, ip: context.ip });
  }
  return redirect("/sign-in", { headers: { "Set-Cookie": await context.cookies.destroySession() } });
}
