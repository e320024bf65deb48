import { DateTime } from "luxon";
import type { Database } from "../../db/connect";
import { refreshInsightTables } from "../../db/queries/insight";
import { scheduleJob } from "../../db/queries/jobs";
import { listServiceManagers } from "../../db/queries/users";
import { enqueueEmail } from "../../emails/outbox";
import { insightSnapshotEmail } from "../../emails/insight-snapshot";
import { appUrlOf, type CurrentUser, type Deps } from "../lib/context";
import { ZONE, formatDate, ukDate } from "../lib/dates";
import { insightDashboard, insightFilters } from "./insight.server";

/*
 * The Monday snapshot: every Monday at 08:00 (UK time), through the durable
 * job runner, each service manager gets their area's headline figures.
 */

const SNAPSHOT_JOB = "insight.weekly_snapshot";

/** The next Monday at 08:00 in London on or after a moment. */
export function nextSnapshotAt(now: Date): Date {
  const local = DateTime.fromJSDate(now).setZone(ZONE);
  let monday = local.set({ hour: 8, minute: 0, second: 0, millisecond: 0 }).minus({ days: local.weekday - 1 });
  if (monday < local) monday = monday.plus({ weeks: 1 });
  return monday.toJSDate();
}

/**
 * For the demo: this week's snapshot (the latest Monday 08:00 already past),
 * so the mailbox shows one as soon as the worker first runs.
 */
export function scheduleLatestSnapshot(deps: Deps) {
  return scheduleSnapshot(deps, nextSnapshotAt(new Date(deps.clock.now().getTime() - 7 * 24 * 3600_000)));
}

/**
 * Makes sure the next Monday's snapshot is on the job runner: every
 * housekeeping pass asks, and the job's key makes it once, whichever worker
 * gets there first.
 */
export function scheduleWeeklySnapshot(deps: Deps) {
  return scheduleSnapshot(deps, nextSnapshotAt(deps.clock.now()));
}

function scheduleSnapshot(deps: Deps, runAt: Date) {
  return scheduleJob(deps.db, { key: `${SNAPSHOT_JOB}:${ukDate(runAt)}`, kind: SNAPSHOT_JOB, payload: {}, runAt, at: deps.clock.now() });
}

/**
 * The Monday 08:00 job: the figures brought up to date, then one email per
 * active service manager with their area's headline (all areas for those who
 * act for every area), written to the outbox in the job's transaction.
 */
async function weeklySnapshotJob(trx: Database, deps: Deps) {
  const inJob: Deps = { ...deps, db: trx };
  const now = deps.clock.now();
  await refreshInsightTables(trx, now, ukDate(now));
  const managers = await listServiceManagers(trx);
  const filters = insightFilters({}, ukDate(now)).filters;
  const appUrl = appUrlOf(deps);
  for (const manager of managers) {
    const user: CurrentUser = {
      id: manager.id,
      name: manager.name,
      email: manager.email,
      role: manager.role,
      agencyId: manager.agency_id,
      agencyName: manager.agency_name,
      agencyKind: manager.agency_kind,
      areaId: manager.area_id,
      allAreas: manager.all_areas,
    };
    if (!user.allAreas && user.areaId === null) continue;
    // The email carries the headline only: no charts to draw.
    const dashboard = await insightDashboard(inJob, { user, ip: null }, filters, { charts: false });
    await enqueueEmail(
      trx,
      {
        ...insightSnapshotEmail({
          scope: user.allAreas ? "all areas" : (manager.area_name ?? "your area"),
          weekOf: formatDate(now),
          figures: dashboard.headline,
          dashboardUrl: `${appUrl}/insight${user.allAreas ? "" : `?area=${user.areaId}`}`,
        }),
        key: `insight-snapshot:${ukDate(now)}:to:${manager.id}`,
        kind: "insight_snapshot",
        to: manager.email,
      },
      now,
    );
  }
}

export const INSIGHT_JOBS = { [SNAPSHOT_JOB]: weeklySnapshotJob };
