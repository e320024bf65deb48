import type { AgencyKind } from "../../db/schema";
import { AGENCY_KIND_LABELS } from "./labels";

/** What a panel needs in the room: these agency kinds, and this many other agencies besides. */
export interface Quorum {
  kinds: readonly AgencyKind[];
  others: number;
}

/** The product's default, as most councils' terms of reference set it. */
export const DEFAULT_QUORUM: Quorum = { kinds: ["childrens_social_care", "early_help"], others: 2 };

/** The key a reason for going ahead with too few other agencies is kept under, beside the agency kinds. */
export const OTHERS = "others";

type Present = { attendance: string | null; agency_kind: string; agency_name: string };

const isPresent = (a: Present) => a.attendance === "in_person" || a.attendance === "online";

/** An agency kind as a sentence says it: "children's social care", "early help". */
export function kindInWords(kind: string): string {
  const label = AGENCY_KIND_LABELS[kind as AgencyKind];
  return label ? label.charAt(0).toLowerCase() + label.slice(1) : kind;
}

/** The agency kinds the panel needs that nobody present represents, unless the chair recorded why it goes ahead without them. */
export function notRepresented(attendees: Present[], goingAheadWithout: Record<string, string>, quorum: Quorum) {
  const represented = new Set(attendees.filter(isPresent).map((a) => a.agency_kind));
  return quorum.kinds
    .filter((kind) => !represented.has(kind) && !goingAheadWithout[kind])
    .map((kind) => ({ kind, label: kindInWords(kind) }));
}

/** Too few other agencies present (and no reason recorded for going ahead): how many are needed and how many there are. */
export function othersShort(attendees: Present[], goingAheadWithout: Record<string, string>, quorum: Quorum) {
  if (goingAheadWithout[OTHERS]) return null;
  const needed = new Set<string>(quorum.kinds);
  const present = new Set(attendees.filter((a) => isPresent(a) && !needed.has(a.agency_kind)).map((a) => a.agency_name)).size;
  return present < quorum.others ? { needed: quorum.others, present } : null;
}

/** Whether the people present make the panel quorate, whatever reasons were recorded for going ahead. */
export function isQuorate(attendees: Present[], quorum: Quorum) {
  return notRepresented(attendees, {}, quorum).length === 0 && othersShort(attendees, {}, quorum) === null;
}

/** What a reason for going ahead was about, in words. */
export function goingAheadLabel(key: string): string {
  return key === OTHERS ? "enough other agencies" : kindInWords(key);
}
