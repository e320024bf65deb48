import type { LoaderFunctionArgs } from "@remix-run/node";
import { idParam } from "../lib/params";
import { actorMay } from "../services/authorise.server";
import { readEmail } from "../services/mailbox.server";

/**
 * A kept email's HTML as its own document, for the mailbox page's preview
 * frame. Email HTML carries inline styles, so this document has its own
 * policy: styles inline, no scripts at all, shown only inside our own page.
 */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const email = await readEmail(context, actorMay(context, "administer"), idParam(params.id));
  return new Response(email.html_body, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; base-uri 'none'",
      "X-Frame-Options": "SAMEORIGIN",
      "Cache-Control": "no-store",
    },
  });
}
