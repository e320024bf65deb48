import { DateTime } from "luxon";
import { insertAuditEvent } from "../../db/queries/audit";
import { caseMovesForEpisodes } from "../../db/queries/insight";
import type { Actor, Deps } from "../lib/context";
import { toCsv } from "../lib/csv";
import { ukDate, ZONE } from "../lib/dates";
import { may } from "../lib/policy";
import { forbidden } from "./authorise.server";
import { insightAreasFor, scopeOf, type InsightFilters } from "./insight.server";

/** The Standard Safeguarding Dataset's early help episodes table (data-to-insight's ssd_early_help_episodes), column for column. */
export const SSD_EARLY_HELP_COLUMNS = [
  "earl_episode_id",
  "earl_person_id",
  "earl_episode_start_date",
  "earl_episode_end_date",
  "earl_episode_reason",
  "earl_episode_end_reason",
  "earl_episode_organisation",
  "earl_episode_worker_id",
] as const;

/** A case is with early help while it sits there, including while a step up is asked for. */
const IN_EARLY_HELP = new Set(["early_help", "step_up_requested"]);

const STARTED: Record<string, string> = {
  "": "Case opened in early help",
  step_down_requested: "Stepped down from children's social care",
};

const ENDED: Record<string, string> = {
  social_care: "Stepped up to children's social care",
  volunteer_support: "Moved to the Volunteer Family Support Service",
  front_door: "Referred to the front door (immediate risk)",
  closed: "Case closed",
};

export interface EarlyHelpEpisode {
  id: string;
  reference: string;
  person: string;
  start: string;
  end: string | null;
  reason: string;
  endReason: string | null;
  organisation: string;
}

/** Each stay of a case in early help, from the journey's moves: opened or stepped down into it, and how it left. */
export function episodesFrom(
  moves: Array<{
    id: number;
    case_id: number;
    at: Date;
    from_status: string | null;
    to_status: string;
    reference: string;
    case_system_id: string | null;
    area: string;
  }>,
) {
  const episodes: EarlyHelpEpisode[] = [];
  let open: EarlyHelpEpisode | null = null;
  let openCase: number | null = null;
  for (const m of moves) {
    if (open && openCase !== m.case_id) open = null;
    const inside = IN_EARLY_HELP.has(m.to_status);
    if (!open && inside && !IN_EARLY_HELP.has(m.from_status ?? "")) {
      open = {
        id: `${m.reference}-EH${m.id}`,
        reference: m.reference,
        person: m.case_system_id ?? m.reference,
        start: ukDate(m.at),
        end: null,
        reason: STARTED[m.from_status ?? ""] ?? `Moved from ${m.from_status}`,
        endReason: null,
        organisation: `${m.area} early help`,
      };
      openCase = m.case_id;
      episodes.push(open);
    } else if (open && !inside) {
      open.end = ukDate(m.at);
      open.endReason = ENDED[m.to_status] ?? m.to_status;
      open = null;
    }
  }
  return episodes;
}

/**
 * Early help episodes open at any time in the period, in the Standard
 * Safeguarding Dataset's shape. Cases are named by their case-system number
 * where recorded, else their reference; no child's details. Audited as a read of those cases.
 */
export async function earlyHelpEpisodesCsv(deps: Deps, actor: Actor, filters: InsightFilters) {
  if (!may(actor.user, "exportCensusReturn")) throw forbidden();
  const scope = scopeOf(filters, insightAreasFor(actor.user));
  const from = ukDate(DateTime.fromISO(scope.fromMonth, { zone: ZONE }).toJSDate());
  const to = DateTime.fromISO(scope.toMonth, { zone: ZONE }).plus({ months: 1 });
  const episodes = episodesFrom(await caseMovesForEpisodes(deps.db, { areaId: scope.areaId, to: to.toJSDate() })).filter(
    (e) => e.end === null || e.end >= from,
  );
  await insertAuditEvent(deps.db, {
    at: deps.clock.now(),
    actorUserId: actor.user.id,
    action: "insight.early_help_episodes_exported",
    recordType: "case",
    recordId: undefined,
    ip: actor.ip,
    detail: {
      cases: [...new Set(episodes.map((e) => e.reference))],
      rows: episodes.length,
      from: filters.from,
      to: filters.to,
      area: scope.areaId,
    },
  });
  return toCsv(
    [...SSD_EARLY_HELP_COLUMNS],
    episodes.map((e) => [e.id, e.person, e.start, e.end ?? "", e.reason, e.endReason ?? "", e.organisation, ""]),
  );
}
