import type { LoaderFunctionArgs } from "@remix-run/node";
import { todayIn } from "../lib/dates";
import { actorMay, notFound } from "../services/authorise.server";
import { figureCsv, insightDashboard, insightFilters } from "../services/insight.server";

/** One figure's table as a CSV, for the same filters as the page. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const actor = actorMay(context, "readInsight");
  const { filters, errors } = insightFilters(Object.fromEntries(new URL(request.url).searchParams), todayIn(context));
  if (Object.keys(errors).length) throw new Response(Object.values(errors).join("\n"), { status: 400 });
  const dashboard = await insightDashboard(context, actor, filters);
  const figure = dashboard.sections.flatMap((s) => s.figures).find((f) => f.id === params.figure);
  if (!figure) throw notFound();
  return new Response(figureCsv(figure), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${figure.id}-${filters.from}-to-${filters.to}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
