import { DateTime } from "luxon";
import { ZONE } from "./dates";

export interface SlotInput {
  id: number;
  slotMinutes: number;
  /** "HH:mm" UK time when the chair pinned the item; otherwise it follows the item before. */
  pinnedStart: string | null;
}

export interface Slot {
  id: number;
  startsAt: Date;
  endsAt: Date;
  /** Pinned earlier than the item before it ends. */
  overlaps: boolean;
  /** Ends after the panel does. */
  pastEnd: boolean;
}

export function wallClock(date: string, time: string): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toJSDate();
}

/**
 * Start and end of every item, in agenda order: each follows the one before
 * unless the chair pinned it to a time. Pure, so the agenda page, the invites
 * and the validation all agree.
 */
export function agendaSlots(panel: { meetingDate: string; startsAt: Date; endsAt: Date }, items: SlotInput[]): Slot[] {
  let cursor = panel.startsAt.getTime();
  return items.map((item) => {
    const pinned = item.pinnedStart ? wallClock(panel.meetingDate, item.pinnedStart).getTime() : null;
    const start = pinned ?? cursor;
    const end = start + item.slotMinutes * 60_000;
    const slot = {
      id: item.id,
      startsAt: new Date(start),
      endsAt: new Date(end),
      overlaps: pinned !== null && pinned < cursor,
      pastEnd: end > panel.endsAt.getTime(),
    };
    cursor = Math.max(cursor, end);
    return slot;
  });
}
