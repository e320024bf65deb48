import { formatDate } from "../app/lib/dates";
import { renderEmail, type RenderedEmail } from "./render";

export interface TransferNoticeData {
  reference: string;
  service: "children's social care" | "early help" | "the Volunteer Family Support Service";
  leadPractitioner: string | null;
  transferDate: string | null;
  /** Where the receiving person sees the transfer meeting to hold (people with an account). */
  actionsUrl: string | null;
}

/**
 * To the receiving service when a panel agrees a step up or step down: the case reference,
 * who leads it and when the transfer meeting or joint visit is. Nothing about
 * the child: that is behind sign-in.
 */
export function transferNoticeEmail(d: TransferNoticeData): RenderedEmail {
  const step = d.service === "children's social care" ? "up" : "down";
  return renderEmail({
    subject: `Threshold: case ${d.reference} is stepping ${step} to your service`,
    heading: `Case ${d.reference} is stepping ${step} to ${d.service}`,
    paragraphs: [
      `The panel agreed a step ${step} to your service.`,
      `Lead practitioner: ${d.leadPractitioner ?? "not recorded"}.`,
      d.transferDate
        ? `Transfer meeting or joint visit: ${formatDate(d.transferDate)}.`
        : "The transfer meeting or joint visit date is still to be agreed.",
      d.actionsUrl
        ? "The transfer meeting is in your actions in Threshold."
        : "Sign in to Threshold, or ask the panel chair, for the details.",
    ],
    ...(d.actionsUrl ? { link: { href: d.actionsUrl, label: "See my actions" } } : {}),
  });
}

/** To everyone told of a decision, when it is corrected: what changed is behind sign-in. */
export function decisionCorrectedEmail(d: { reference: string; caseUrl: string }): RenderedEmail {
  return renderEmail({
    subject: `Threshold: a panel decision was corrected on case ${d.reference}`,
    heading: `A decision on case ${d.reference} has been corrected`,
    paragraphs: [
      "A decision you were told about has been corrected, with a reason.",
      "Sign in to Threshold to read the corrected decision, the reason for the correction and who holds the risk.",
    ],
    link: { href: d.caseUrl, label: "Read the corrected decision" },
  });
}

/** To the person named lead practitioner: the reference and where to read the case, nothing about the child. */
export function leadNamedEmail(d: { reference: string; caseUrl: string; supervisor: string | null }): RenderedEmail {
  return renderEmail({
    subject: `Threshold: you are the lead practitioner for case ${d.reference}`,
    heading: `You are the lead practitioner for case ${d.reference}`,
    paragraphs: [
      "The receiving service has named you as the case's lead practitioner after the panel's decision.",
      d.supervisor ? `Your supervisor for this case: ${d.supervisor}.` : "Sign in to Threshold to read the decision and the plan.",
      "You can record what the family was told, and the review of how they engaged, on the case in Threshold.",
    ],
    link: { href: d.caseUrl, label: "Open the case" },
  });
}
