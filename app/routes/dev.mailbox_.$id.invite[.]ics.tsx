import type { LoaderFunctionArgs } from "@remix-run/node";
import { idParam } from "../lib/params";
import { actorMay, notFound } from "../services/authorise.server";
import { readEmail } from "../services/mailbox.server";

/** A kept email's calendar invite as a file, to open in a calendar program while trying the demo. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const email = await readEmail(context, actorMay(context, "administer"), idParam(params.id));
  if (!email.ics) throw notFound();
  return new Response(email.ics, {
    headers: {
      "Content-Type": `text/calendar; charset=utf-8; method=${email.ics_method ?? "REQUEST"}`,
      "Content-Disposition": `attachment; filename="invite-${email.id}.ics"`,
      "Cache-Control": "private, no-store",
    },
  });
}
