import { listPanelsForViewer } from "../../db/queries/panels";
import type { Actor, Deps } from "../lib/context";
import { myActions } from "./actions.server";
import { myChallenges } from "./challenges.server";

/** What needs a person's attention: their actions, open challenges and the next panel they may see. */
export async function homeSummary(deps: Deps, actor: Actor) {
  if (actor.user.role === "admin") return null;
  const now = deps.clock.now();
  const [actions, challenges, panels] = await Promise.all([
    myActions(deps, actor),
    myChallenges(deps, actor),
    listPanelsForViewer(deps.db, actor.user, { from: now, until: new Date(now.getTime() + 6 * 7 * 24 * 3600_000) }),
  ]);
  const next = panels.find((p) => p.status !== "cancelled") ?? null;
  return {
    overdue: actions.overdue.length,
    dueSoon: actions.dueSoon.length,
    open: actions.overdue.length + actions.dueSoon.length + actions.later.length,
    challenges: challenges.length,
    challengesOverdue: challenges.filter((c) => c.overdue).length,
    nextPanel: next ? { id: next.id, area: next.area_name, startsAt: next.starts_at, kind: next.kind, items: Number(next.item_count ?? 0) } : null,
  };
}
