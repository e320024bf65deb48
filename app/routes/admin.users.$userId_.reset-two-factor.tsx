import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { readForm } from "../lib/http.server";
import { idParam } from "../lib/params";
import { actorMay } from "../services/authorise.server";
import { resetSecondFactor } from "../services/second-factor.server";

export async function loader({ context, params }: LoaderFunctionArgs) {
  actorMay(context, "administer");
  return redirect(`/admin/users/${idParam(params.userId)}`);
}

/** "Lost my device": the administrator clears the person's second factor (audited) and they set it up again. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = actorMay(context, "administer");
  const id = idParam(params.userId);
  await readForm(request, context);
  await resetSecondFactor(context, actor, id);
  return redirect(`/admin/users/${id}?done=reset`);
}
