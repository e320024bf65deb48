import type { LoaderFunctionArgs } from "@remix-run/node";
import { idParam } from "../lib/params";
import { actorMay } from "../services/authorise.server";
import { panelInviteFile } from "../services/agenda.server";

/** The panel's calendar invite as a file, for anyone who may see the panel. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const actor = actorMay(context, "takePart");
  const ics = await panelInviteFile(context, actor, idParam(params.panelId));
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="panel-${params.panelId}.ics"`,
      "Cache-Control": "private, no-store",
    },
  });
}
