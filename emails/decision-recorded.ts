import { renderEmail, type RenderedEmail } from "./render";

export interface DecisionRecordedData {
  reference: string;
  caseUrl: string;
}

/** To the professional who made the request: a decision exists; the detail is behind sign-in. */
export function decisionRecordedEmail(data: DecisionRecordedData): RenderedEmail {
  return renderEmail({
    subject: `Threshold: panel update for case ${data.reference}`,
    heading: `The panel has recorded a decision on case ${data.reference}`,
    paragraphs: [
      "A decision has been recorded on the request you made.",
      "Sign in to Threshold to read the decision, the reasons, who holds the risk and any actions for you.",
    ],
    link: { href: data.caseUrl, label: "Read the decision" },
  });
}
