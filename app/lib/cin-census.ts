import type { AgencyKind } from "./organisation";

/**
 * How a panel's step-up and step-down decisions map to the Department for
 * Education's Children in Need census: the one place the mapping lives (the
 * README's "Returns" section describes it). Codes are the census's own.
 *
 * - An agreed step up is a referral to children's social care; its referral
 *   source is the requesting agency's kind.
 * - A step up the panel did not agree (or signposted elsewhere) is counted as a
 *   referral with no further action, so the census sees the contact was made.
 * - A step up sent to the front door is a referral that the front door takes on.
 * - An agreed step down closes the children-in-need episode: to early help,
 *   "case closed after assessment, referred to early help" (RC9); to the
 *   Volunteer Family Support Service, "services ceased for any other reason,
 *   including child no longer in need" (RC7), the volunteer service being
 *   outside the council's early help offer.
 * - A step down not agreed, or signposted, leaves the episode open: no census item.
 */

export interface CensusCode {
  code: string;
  label: string;
}

export const REFERRAL_SOURCES: Record<AgencyKind, CensusCode> = {
  education: { code: "2A", label: "Schools" },
  health: { code: "3F", label: "Health services – other" },
  police: { code: "6", label: "Police" },
  early_help: { code: "5D", label: "LA services – early help" },
  childrens_social_care: { code: "5B", label: "LA services – other internal" },
  volunteer_family_support: { code: "8", label: "Other" },
  other: { code: "8", label: "Other" },
};

export const CLOSURE_REASONS = {
  RC7: { code: "RC7", label: "Services ceased for any other reason, including child no longer in need" },
  RC9: { code: "RC9", label: "Case closed after assessment, referred to early help" },
} as const satisfies Record<string, CensusCode>;

export interface CensusItem {
  item: "referral" | "closure" | null;
  referralSource: CensusCode | null;
  /** The census's "referral NFA" flag. */
  referralNfa: boolean | null;
  closureReason: CensusCode | null;
}

const NONE: CensusItem = { item: null, referralSource: null, referralNfa: null, closureReason: null };

export function censusItemFor(decision: { kind: "step_up" | "step_down"; outcome: string; agencyKind: AgencyKind }): CensusItem {
  if (decision.kind === "step_up") {
    const referralSource = REFERRAL_SOURCES[decision.agencyKind];
    if (decision.outcome === "step_up_agreed" || decision.outcome === "referred_to_front_door") {
      return { item: "referral", referralSource, referralNfa: false, closureReason: null };
    }
    if (decision.outcome === "not_agreed" || decision.outcome === "signposted") {
      return { item: "referral", referralSource, referralNfa: true, closureReason: null };
    }
    return NONE;
  }
  if (decision.outcome === "step_down_agreed_early_help") return { ...NONE, item: "closure", closureReason: CLOSURE_REASONS.RC9 };
  if (decision.outcome === "step_down_agreed_volunteer_support") return { ...NONE, item: "closure", closureReason: CLOSURE_REASONS.RC7 };
  return NONE;
}
