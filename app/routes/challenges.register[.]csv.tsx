import type { LoaderFunctionArgs } from "@remix-run/node";
import { actorMay } from "../services/authorise.server";
import { challengeRegister, registerCsv, registerFilters } from "../services/challenges.server";

/** The register as a CSV file, with the same filters as the page. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const actor = actorMay(context, "managePanels");
  const register = await challengeRegister(
    context,
    actor,
    registerFilters(Object.fromEntries(new URL(request.url).searchParams)),
    "export",
  );
  return new Response(registerCsv(register.rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="challenge-register.csv"',
      "Cache-Control": "private, no-store",
    },
  });
}
