import type { LoaderFunctionArgs } from "@remix-run/node";
import { todayIn } from "../lib/dates";
import { actorMay } from "../services/authorise.server";
import { censusReturn } from "../services/census-return.server";
import { insightFilters } from "../services/insight.server";

/** The period's decisions with their Children in Need census codes (see app/lib/cin-census.ts). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const actor = actorMay(context, "exportCensusReturn");
  const { filters, errors } = insightFilters(Object.fromEntries(new URL(request.url).searchParams), todayIn(context));
  if (Object.keys(errors).length) throw new Response(Object.values(errors).join("\n"), { status: 400 });
  return new Response(await censusReturn(context, actor, filters), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="cin-census-return-${filters.from}-to-${filters.to}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
