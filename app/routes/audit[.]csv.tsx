import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditFilterSchema } from "../forms/audit";
import { validate } from "../lib/validation";
import { actorMay, badRequest } from "../services/authorise.server";
import { exportAuditTrail } from "../services/audit-trail.server";

/** The trail as CSV, with the page's filters. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const actor = actorMay(context, "readAuditTrail");
  const parsed = validate(auditFilterSchema, Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.ok) throw badRequest("Those filters could not be read");
  return new Response(await exportAuditTrail(context, actor, parsed.data), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="audit-trail.csv"',
      "Cache-Control": "private, no-store",
    },
  });
}
