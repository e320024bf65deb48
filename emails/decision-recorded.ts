import { renderEmail, type RenderedEmail } from "./render";

export interface DecisionRecordedData {
  reference: string;
  caseUrl: string;
  /** The decision's outcome code (see DECISION_LABELS). */
  outcome: string;
}

/** What the panel decided, in the requester's words, and what they will find on Threshold: never the child's details. */
const OUTCOME_IN_WORDS: Record<string, [string, string]> = {
  step_up_agreed: [
    "Step up to children's social care agreed.",
    "Who holds the risk now, the lead practitioner and any actions are on Threshold.",
  ],
  step_down_agreed_early_help: ["Step down to early help agreed.", "The lead practitioner and the transfer date are on Threshold."],
  step_down_agreed_volunteer_support: [
    "Step down to the Volunteer Family Support Service agreed.",
    "The lead practitioner and the transfer date are on Threshold.",
  ],
  not_agreed: [
    "Not agreed: the case stays with the service it is with now.",
    "The panel's reasons and who holds the risk are on Threshold.",
  ],
  deferred: [
    "Deferred to the next panel: the panel needs more information.",
    "What the panel asked for, and the date of the next panel, are on Threshold.",
  ],
  referred_to_front_door: ["Referred to the front door.", "The panel's reasons and who holds the risk are on Threshold."],
  signposted: ["Signposted elsewhere.", "The panel's advice and reasons are on Threshold."],
};

/**
 * To the professional who made the request: the outcome in words, by
 * reference only; the reasons and the people behind sign-in. The subject
 * says no more than that there is an update.
 */
export function decisionRecordedEmail(data: DecisionRecordedData): RenderedEmail {
  const [outcome, more] = OUTCOME_IN_WORDS[data.outcome] ?? ["The panel has recorded a decision.", "The decision is on Threshold."];
  return renderEmail({
    subject: `Threshold: panel update for case ${data.reference}`,
    heading: `The panel's decision on case ${data.reference}`,
    paragraphs: [`The panel decided on the request you made. ${outcome}`, `${more} Sign in to read the decision and what happens next.`],
    link: { href: data.caseUrl, label: "Read the decision" },
  });
}
