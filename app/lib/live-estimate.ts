import { agendaSlots } from "./agenda-slots";

/**
 * When each item of a running panel will come up, from how the meeting is
 * actually going. Pure: the times in, the estimate out, so the live page, the
 * chairing page and the invite updates all agree.
 *
 * - Items already discussed (ended) keep their real start and end.
 * - The item under discussion is expected to take at least its slot (scaled by
 *   the pace so far) and never to end before now.
 * - Items still to come follow in agenda order, each taking its slot scaled by
 *   the pace: how long the discussed items took against their slots (between
 *   half and double). An item pinned to a time starts no earlier than that.
 * - Skipped items come back after the rest, in agenda order.
 *
 * Everything is in absolute milliseconds, so a clock change mid-meeting moves
 * nothing; only the display turns instants into UK times.
 */

export interface LiveItemInput {
  id: number;
  position: number;
  slotMinutes: number;
  /** The agenda's planned start. */
  plannedStart: Date;
  pinned: boolean;
  startedAt: Date | null;
  endedAt: Date | null;
  skipped: boolean;
}

export type LiveItemState = "done" | "current" | "waiting" | "skipped";

export interface LiveItemEstimate {
  id: number;
  /** Its place in the running order, from 1. */
  number: number;
  state: LiveItemState;
  plannedStart: Date;
  start: Date;
  end: Date;
  /** For a discussed item: how long it took, in whole minutes. */
  actualMinutes: number | null;
  slotMinutes: number;
}

export interface LiveEstimate {
  items: LiveItemEstimate[];
  currentId: number | null;
  /** Minutes behind the plan (negative: ahead) for the item now or next; null when nothing is left. */
  lateMinutes: number | null;
  pace: number;
  expectedEnd: Date;
  plannedEnd: Date;
  started: boolean;
}

const MINUTE = 60_000;

export function estimateLive(panel: { startsAt: Date; endsAt: Date }, items: LiveItemInput[], now: Date): LiveEstimate {
  const byPosition = [...items].sort((a, b) => a.position - b.position || a.id - b.id);
  const done = byPosition.filter((i) => i.startedAt && i.endedAt).sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime());
  const current = byPosition.find((i) => i.startedAt && !i.endedAt) ?? null;
  const waiting = byPosition.filter((i) => !i.startedAt && !i.skipped);
  const skipped = byPosition.filter((i) => !i.startedAt && i.skipped);
  const planned = done.reduce((s, i) => s + i.slotMinutes, 0);
  const actual = done.reduce((s, i) => s + (i.endedAt!.getTime() - i.startedAt!.getTime()) / MINUTE, 0);
  const pace = planned > 0 ? Math.min(2, Math.max(0.5, actual / planned)) : 1;
  const started = done.length > 0 || current !== null;

  const out: LiveItemEstimate[] = [];
  let number = 0;
  for (const i of done) {
    out.push({
      id: i.id,
      number: ++number,
      state: "done",
      plannedStart: i.plannedStart,
      start: i.startedAt!,
      end: i.endedAt!,
      actualMinutes: Math.round((i.endedAt!.getTime() - i.startedAt!.getTime()) / MINUTE),
      slotMinutes: i.slotMinutes,
    });
  }
  let cursor: number;
  if (current) {
    const end = Math.max(now.getTime(), current.startedAt!.getTime() + current.slotMinutes * pace * MINUTE);
    out.push({
      id: current.id,
      number: ++number,
      state: "current",
      plannedStart: current.plannedStart,
      start: current.startedAt!,
      end: new Date(end),
      actualMinutes: null,
      slotMinutes: current.slotMinutes,
    });
    cursor = end;
  } else if (started) {
    cursor = Math.max(now.getTime(), done[done.length - 1]!.endedAt!.getTime());
  } else {
    // Not begun: the first item starts at the planned time, or now if that has passed.
    cursor = Math.max(now.getTime(), panel.startsAt.getTime());
  }
  for (const [list, state] of [
    [waiting, "waiting"],
    [skipped, "skipped"],
  ] as const) {
    for (const i of list) {
      const start = i.pinned && state === "waiting" ? Math.max(cursor, i.plannedStart.getTime()) : cursor;
      const end = start + i.slotMinutes * pace * MINUTE;
      out.push({
        id: i.id,
        number: ++number,
        state,
        plannedStart: i.plannedStart,
        start: new Date(start),
        end: new Date(end),
        actualMinutes: null,
        slotMinutes: i.slotMinutes,
      });
      cursor = end;
    }
  }
  const now_or_next =
    out.find((i) => i.state === "current") ?? out.find((i) => i.state === "waiting") ?? out.find((i) => i.state === "skipped");
  const lateMinutes = now_or_next ? Math.round((now_or_next.start.getTime() - now_or_next.plannedStart.getTime()) / MINUTE) : null;
  const last = out[out.length - 1];
  return {
    items: out,
    currentId: current?.id ?? null,
    lateMinutes,
    pace,
    expectedEnd: last ? last.end : panel.endsAt,
    plannedEnd: panel.endsAt,
    started,
  };
}

/** The plain line shown to everyone watching: "Running 12 minutes late". */
export function runningLine(estimate: Pick<LiveEstimate, "lateMinutes" | "started">): string {
  const late = estimate.lateMinutes;
  if (late === null) return "All items have been discussed";
  const minutes = (n: number) => `${n} minute${n === 1 ? "" : "s"}`;
  const prefix = estimate.started ? "Running" : "Expected to start";
  if (Math.abs(late) < 2) return estimate.started ? "Running on time" : "Expected to start on time";
  return late > 0 ? `${prefix} ${minutes(late)} late` : `${prefix} ${minutes(-late)} early`;
}

/** Whether the panel is expected to run past its planned end, and by how much. */
export function overrunMinutes(estimate: Pick<LiveEstimate, "expectedEnd" | "plannedEnd">): number {
  return Math.max(0, Math.round((estimate.expectedEnd.getTime() - estimate.plannedEnd.getTime()) / MINUTE));
}

/** Invitees are sent a new time only when it has moved more than this since they were last told. */
export const INVITE_DRIFT_MINUTES = 10;

export function driftedBeyond(sent: Date | null, estimated: Date): boolean {
  return sent !== null && Math.abs(estimated.getTime() - sent.getTime()) > INVITE_DRIFT_MINUTES * MINUTE;
}

/** The estimate for a panel and its agenda rows as stored (planned slots from the agenda). */
export function estimateForAgenda(
  panel: { meeting_date: string; starts_at: Date | string; ends_at: Date | string },
  items: Array<{
    id: number;
    position: number;
    slot_minutes: number;
    pinned_start: string | null;
    started_at: Date | string | null;
    ended_at: Date | string | null;
    skipped: boolean;
  }>,
  now: Date,
): LiveEstimate {
  const startsAt = new Date(panel.starts_at);
  const endsAt = new Date(panel.ends_at);
  const ordered = [...items].sort((a, b) => a.position - b.position || a.id - b.id);
  const slots = new Map(
    agendaSlots(
      { meetingDate: panel.meeting_date, startsAt, endsAt },
      ordered.map((i) => ({ id: i.id, slotMinutes: i.slot_minutes, pinnedStart: i.pinned_start })),
    ).map((s) => [s.id, s]),
  );
  return estimateLive(
    { startsAt, endsAt },
    ordered.map((i) => ({
      id: i.id,
      position: i.position,
      slotMinutes: i.slot_minutes,
      plannedStart: slots.get(i.id)!.startsAt,
      pinned: i.pinned_start !== null,
      startedAt: i.started_at ? new Date(i.started_at) : null,
      endedAt: i.ended_at ? new Date(i.ended_at) : null,
      skipped: i.skipped,
    })),
    now,
  );
}
