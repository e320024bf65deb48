import { formatDateTime } from "../app/lib/dates";
import { renderEmail, type RenderedEmail } from "./render";

export type ChallengeNoticeKind = "raised" | "escalated" | "reminder" | "overdue" | "resolved" | "withdrawn" | "front_door";

export interface ChallengeNoticeData {
  kind: ChallengeNoticeKind;
  reference: string;
  stageLabel: string;
  deadline: Date | null;
  url: string;
  /** For an escalation: the managers it went to (by name). */
  wentTo?: string[];
}

const HEADINGS: Record<ChallengeNoticeKind, (ref: string) => string> = {
  raised: (ref) => `A professional challenge has been raised on case ${ref}`,
  escalated: (ref) => `A professional challenge on case ${ref} has been escalated`,
  reminder: (ref) => `A response is due on the challenge for case ${ref}`,
  overdue: (ref) => `The response to the challenge on case ${ref} is overdue`,
  resolved: (ref) => `The challenge on case ${ref} is resolved`,
  withdrawn: (ref) => `The challenge on case ${ref} was withdrawn`,
  front_door: (ref) => `Case ${ref} has gone to the front door`,
};

/**
 * To the people at a challenge's stage. It says a disagreement exists and by
 * when to respond; what it is about is behind sign-in.
 */
export function challengeNoticeEmail(d: ChallengeNoticeData): RenderedEmail {
  const heading = HEADINGS[d.kind](d.reference);
  return renderEmail({
    subject: `Threshold: ${heading.charAt(0).toLowerCase()}${heading.slice(1)}`,
    heading,
    paragraphs: [
      `Stage: ${d.stageLabel}.`,
      ...(d.kind === "escalated" && d.wentTo?.length ? [`It has gone to ${d.wentTo.join(", ")}.`] : []),
      ...(d.deadline && ["raised", "escalated", "reminder"].includes(d.kind) ? [`Please respond by ${formatDateTime(d.deadline)}.`] : []),
      ...(d.kind === "overdue"
        ? ["The stage's deadline has passed. The next stage's managers have been told; escalation is a decision for the people involved."]
        : []),
      ...(d.kind === "front_door" ? ["Immediate risk of harm was identified, so the case was referred to the front door at once."] : []),
    ],
    link: { href: d.url, label: "Open the challenge" },
  });
}
