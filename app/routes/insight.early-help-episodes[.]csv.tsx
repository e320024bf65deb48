import type { LoaderFunctionArgs } from "@remix-run/node";
import { todayIn } from "../lib/dates";
import { actorMay } from "../services/authorise.server";
import { earlyHelpEpisodesCsv } from "../services/early-help-episodes.server";
import { insightFilters } from "../services/insight.server";

/** The period's early help episodes in the Standard Safeguarding Dataset's shape (ssd_early_help_episodes). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const actor = actorMay(context, "exportCensusReturn");
  const { filters, errors } = insightFilters(Object.fromEntries(new URL(request.url).searchParams), todayIn(context));
  if (Object.keys(errors).length) throw new Response(Object.values(errors).join("\n"), { status: 400 });
  return new Response(await earlyHelpEpisodesCsv(context, actor, filters), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="ssd-early-help-episodes-${filters.from}-to-${filters.to}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
