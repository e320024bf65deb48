import type { Deps } from "../lib/context";
import { sendActionNotices } from "./actions.server";
import { CHALLENGE_JOBS } from "./challenges.server";
import { runDueJobs } from "./jobs.server";
import { runPanelHousekeeping } from "./panel-lifecycle.server";
import { sendDueAgendas } from "./agenda.server";
import { anonymiseExpiredCases } from "./retention.server";
import { expireStaleDrafts } from "./requests.server";
import { tidyHeartbeats } from "./operations.server";
import { refreshInsight } from "./insight.server";
import { INSIGHT_JOBS, scheduleWeeklySnapshot } from "./insight-snapshot.server";

/**
 * The timed work the worker does beside delivering email: panels generated
 * ahead, agendas opened and closed, action reminders and overdue notices,
 * closed cases anonymised once their retention period ends, drafts left
 * unsent for 30 days deleted, the Monday
 * insight snapshot, and the insight summary tables brought up to date.
 * Every step is safe to run from several workers at once.
 */
export async function runHousekeeping(deps: Deps) {
  const panels = await runPanelHousekeeping(deps);
  const agendas = await sendDueAgendas(deps);
  const notices = await sendActionNotices(deps);
  await scheduleWeeklySnapshot(deps);
  const jobs = await runDueJobs(deps, { ...CHALLENGE_JOBS, ...INSIGHT_JOBS });
  const retention = await anonymiseExpiredCases(deps);
  const drafts = await expireStaleDrafts(deps);
  await tidyHeartbeats(deps);
  const insight = await refreshInsight(deps);
  return { ...panels, ...agendas, ...notices, jobs, ...retention, ...drafts, insight };
}
