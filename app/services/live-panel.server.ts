import { listAgendaItems } from "../../db/queries/agenda";
import { listAttendees } from "../../db/queries/attendance";
import { casesAsKnownTo } from "../../db/queries/cases";
import { setCurrentItem, setItemTiming } from "../../db/queries/live";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { formatDate, formatTime } from "../lib/dates";
import { FormError } from "../lib/errors";
import { estimateForAgenda, overrunMinutes, runningLine, type LiveItemState } from "../lib/live-estimate";
import { kindName } from "../lib/request-kind";
import { recordRead } from "./audit-trail.server";
import { notFound } from "./authorise.server";
import { refreshSlotInvites } from "./panel-invites.server";
import { audit, chairPanel, invitedFor, seesWholePanel, visiblePanel } from "./panel-access.server";

/*
 * The panel as it runs, for everyone joining: the item under discussion, the
 * rest with estimated start times, and how late the panel is running. The
 * chair moves through the agenda (start, next, back, skip); each move records
 * real start and end times, updates slot invites that moved more than ten
 * minutes, and tells every open live page (this instance at once, others on
 * the same PostgreSQL through NOTIFY).
 */

export type LiveMove = { move: "start"; itemId: number } | { move: "next" } | { move: "back" } | { move: "skip" };

export async function moveThroughAgenda(deps: Deps, actor: Actor, panelId: number, input: LiveMove) {
  const now = deps.clock.now();
  const moved = await chairPanel(deps, actor, panelId, null, async (trx, panel) => {
    if (panel.status !== "in_session") throw new FormError({ live: "Start the panel before moving through its items" });
    const items = await listAgendaItems(trx, panelId, ["listed", "decided"]);
    const estimate = estimateForAgenda(panel, items, now);
    const byId = new Map(items.map((i) => [i.id, i]));
    const current = items.find((i) => i.started_at && !i.ended_at) ?? null;
    const nextAfter = (exclude: number | null) =>
      estimate.items.find((e) => e.state === "waiting" && e.id !== exclude) ??
      estimate.items.find((e) => e.state === "skipped" && e.id !== exclude);
    let target: number | null = null;
    switch (input.move) {
      case "start": {
        const item = byId.get(input.itemId);
        if (!item) throw new FormError({ live: "That item is not on this agenda" });
        if (current?.id === item.id) return { itemId: item.id, reference: item.reference };
        if (current) await setItemTiming(trx, current.id, { endedAt: now });
        // Starting an item again (one already discussed) reopens it.
        await setItemTiming(trx, item.id, {
          startedAt: item.started_at && item.ended_at ? item.started_at : now,
          endedAt: null,
          skipped: false,
        });
        target = item.id;
        break;
      }
      case "next": {
        if (current) await setItemTiming(trx, current.id, { endedAt: now });
        const next = nextAfter(current?.id ?? null);
        if (next) await setItemTiming(trx, next.id, { startedAt: now, endedAt: null, skipped: false });
        target = next?.id ?? null;
        break;
      }
      case "back": {
        const previous = [...estimate.items].reverse().find((e) => e.state === "done");
        if (!previous) throw new FormError({ live: "There is no earlier item to go back to" });
        // The item in hand goes back to waiting, in its place on the agenda.
        if (current) await setItemTiming(trx, current.id, { startedAt: null, endedAt: null });
        await setItemTiming(trx, previous.id, { endedAt: null });
        target = previous.id;
        break;
      }
      case "skip": {
        if (!current) throw new FormError({ live: "Start an item before skipping it" });
        await setItemTiming(trx, current.id, { startedAt: null, endedAt: null, skipped: true });
        const next = nextAfter(current.id);
        if (next) await setItemTiming(trx, next.id, { startedAt: now, endedAt: null, skipped: false });
        target = next?.id ?? null;
        break;
      }
    }
    await setCurrentItem(trx, panelId, target);
    const reference = target ? byId.get(target)!.reference : null;
    await audit(trx, actor, now, "panel.live_moved", panelId, { move: input.move, ...(reference ? { cases: [reference] } : {}) });
    await refreshSlotInvites(trx, panelId, appUrlOf(deps), now);
    return { itemId: target, reference };
  });
  return moved;
}

export interface LiveItemView {
  number: number;
  time: string;
  state: LiveItemState;
  /** Only for someone who may see the item: the whole panel's invitees, or those invited for it. */
  reference: string | null;
  /** The child's name, where the visibility rule lets this person see the case. */
  childName: string | null;
  kind: string | null;
  mine: boolean;
  actualMinutes: number | null;
  slotMinutes: number;
}

export interface LiveView {
  panelId: number;
  title: string;
  phase: "not_started" | "in_session" | "finished" | "cancelled";
  runningLine: string;
  overrun: string | null;
  current: LiveItemView | null;
  items: LiveItemView[];
  total: number;
  /** What changed, for the page's polite announcement. */
  announcement: string;
  wholePanel: boolean;
}

/**
 * The live view for one person: a partner invited for one item sees that
 * item's reference and kind; every other item is "item 4 of 9" with a time.
 * Someone not invited at all gets 404 (visiblePanel).
 */
export async function liveView(deps: Deps, actor: Actor, panelId: number, options: { audit?: boolean } = {}): Promise<LiveView> {
  const panel = await visiblePanel(deps, actor, panelId);
  const now = deps.clock.now();
  const [items, attendees] = await Promise.all([
    listAgendaItems(deps.db, panelId, ["listed", "decided"]),
    listAttendees(deps.db, [panelId]),
  ]);
  const whole = seesWholePanel(actor, attendees);
  const mayKnow = new Set(items.filter((i) => whole || invitedFor(actor, i)).map((i) => i.id));
  if (!whole && mayKnow.size === 0) {
    // Invited to the panel once but no longer to any item on it: nothing to show.
    throw notFound();
  }
  const estimate = estimateForAgenda(panel, items, now);
  const byId = new Map(items.map((i) => [i.id, i]));
  const known = mayKnow.size
    ? new Map(
        (
          await casesAsKnownTo(
            deps.db,
            actor.user,
            items.filter((i) => mayKnow.has(i.id)).map((i) => i.case_id),
          )
        ).map((c) => [c.id, c.visible_name]),
      )
    : new Map<number, string | null>();
  const view = (e: (typeof estimate.items)[number]): LiveItemView => {
    const item = byId.get(e.id)!;
    const mayKnowIt = mayKnow.has(e.id);
    return {
      number: e.number,
      time: formatTime(e.start),
      state: e.state,
      reference: mayKnowIt ? item.reference : null,
      childName: mayKnowIt ? (known.get(item.case_id) ?? null) : null,
      kind: mayKnowIt ? kindName(item.kind, { capital: true }) : null,
      mine: !whole && mayKnowIt,
      actualMinutes: e.actualMinutes,
      slotMinutes: e.slotMinutes,
    };
  };
  const views = estimate.items.map(view);
  const phase =
    panel.status === "in_session"
      ? "in_session"
      : panel.status === "cancelled"
        ? "cancelled"
        : ["concluded", "minutes_published"].includes(panel.status)
          ? "finished"
          : "not_started";
  // Only a panel sitting now has an item under discussion: a finished one never says "Now: item 7 of 7".
  const current = phase === "in_session" ? (views.find((v) => v.state === "current") ?? null) : null;
  if (options.audit && mayKnow.size) {
    await recordRead(deps, actor, {
      action: "panel.live_viewed",
      recordType: "panel",
      recordId: panelId,
      cases: items.filter((i) => mayKnow.has(i.id)).map((i) => i.reference),
    });
  }
  const over = overrunMinutes(estimate);
  const title = `${panel.area_name} ${panel.kind === "extraordinary" ? "extraordinary " : ""}panel, ${formatDate(panel.meeting_date)}`;
  const label = (v: LiveItemView) => (v.reference ? `${v.reference} (${v.kind?.toLowerCase()})` : `item ${v.number} of ${views.length}`);
  return {
    panelId,
    title,
    phase,
    runningLine:
      phase === "in_session" || phase === "not_started"
        ? runningLine(estimate)
        : phase === "cancelled"
          ? "This panel was cancelled"
          : "This panel has finished",
    overrun:
      phase === "in_session" && over > 0
        ? `Expected to finish at ${formatTime(estimate.expectedEnd)}, ${over} minutes after the planned end (${formatTime(estimate.plannedEnd)})`
        : null,
    current,
    items: views,
    total: views.length,
    announcement: current
      ? `Now discussing ${label(current)}. ${runningLine(estimate)}.`
      : phase === "finished"
        ? "This panel has finished."
        : `${runningLine(estimate)}.`,
    wholePanel: whole,
  };
}
