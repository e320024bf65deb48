import { countOpenActions } from "../../db/queries/actions";
import { findNextPanelForViewer } from "../../db/queries/panels";
import type { Actor, Deps } from "../lib/context";
import { ukDate } from "../lib/dates";
import { addWorkingDays } from "../lib/working-days";
import { DUE_SOON_WORKING_DAYS } from "./actions.server";
import { myChallenges } from "./challenges.server";
import { may } from "../lib/policy";

/** What needs a person's attention: their actions, open challenges and the next panel they may see. */
export async function homeSummary(deps: Deps, actor: Actor) {
  if (!may(actor.user, "takePart")) return null;
  const now = deps.clock.now();
  const [actions, challenges, next] = await Promise.all([
    countOpenActions(deps.db, actor.user.id, ukDate(now), ukDate(addWorkingDays(now, DUE_SOON_WORKING_DAYS))),
    myChallenges(deps, actor),
    findNextPanelForViewer(deps.db, actor.user, now),
  ]);
  return {
    ...actions,
    challenges: challenges.length,
    challengesOverdue: challenges.filter((c) => c.overdue).length,
    nextPanel: next
      ? { id: next.id, area: next.area_name, startsAt: next.starts_at, kind: next.kind, items: Number(next.item_count ?? 0) }
      : null,
  };
}
