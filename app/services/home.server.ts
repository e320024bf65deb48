import { countOpenActions } from "../../db/queries/actions";
import { findNextPanelForViewer } from "../../db/queries/panels";
import type { Actor, Deps } from "../lib/context";
import { ukDate } from "../lib/dates";
import { addWorkingDays } from "../lib/working-days";
import { DUE_SOON_WORKING_DAYS } from "./actions.server";
import { myChallenges, RAISE_WINDOW_WORKING_DAYS } from "./challenges.server";
import { listRecentDecisionsFor } from "../../db/queries/decisions";
import { insertAuditEvent } from "../../db/queries/audit";
import { may } from "../lib/policy";

/** What needs a person's attention: their actions, open challenges and the next panel they may see. */
export async function homeSummary(deps: Deps, actor: Actor) {
  if (!may(actor.user, "takePart")) return null;
  const now = deps.clock.now();
  const [actions, challenges, next, decisions] = await Promise.all([
    countOpenActions(deps.db, actor.user.id, ukDate(now), ukDate(addWorkingDays(now, DUE_SOON_WORKING_DAYS))),
    myChallenges(deps, actor),
    findNextPanelForViewer(deps.db, actor.user, now),
    listRecentDecisionsFor(deps.db, actor.user.id, new Date(now.getTime() - 30 * 24 * 3600_000)),
  ]);
  if (decisions.length) {
    // The list names cases: a read of those cases.
    await insertAuditEvent(deps.db, {
      at: now,
      actorUserId: actor.user.id,
      action: "case.recent_decisions_viewed",
      recordType: "case",
      recordId: undefined,
      ip: actor.ip,
      detail: { cases: decisions.map((d) => d.reference) },
    });
  }
  return {
    ...actions,
    challenges: challenges.length,
    // Each may be challenged for a while after it was made ("Challenge this decision" until then).
    recentDecisions: decisions.map((d) => {
      const until = addWorkingDays(new Date(d.decided_at), RAISE_WINDOW_WORKING_DAYS);
      return { id: d.id, reference: d.reference, outcome: d.outcome, decidedAt: d.decided_at, challengeable: until >= now, until };
    }),
    challengesOverdue: challenges.filter((c) => c.overdue).length,
    nextPanel: next
      ? {
          id: next.id,
          area: next.area_name,
          startsAt: next.starts_at,
          kind: next.kind,
          items: Number(next.item_count ?? 0),
          live: next.status === "in_session",
        }
      : null,
  };
}
