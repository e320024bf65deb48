import { formatDate } from "../app/lib/dates";
import { renderEmail, type RenderedEmail } from "./render";

/**
 * To a request's requester: the chair asked a question before listing it. The
 * question itself stays behind sign-in (it may name the family); the email
 * gives the reference and the link.
 */
export function questionAskedEmail(d: { reference: string; meetingDate: string; url: string }): RenderedEmail {
  return renderEmail({
    subject: `Threshold: a question about your request for case ${d.reference}`,
    heading: `The chair has a question about your request for case ${d.reference}`,
    paragraphs: [
      `Before listing it for the panel on ${formatDate(d.meetingDate)}, the chair needs more information from you.`,
      "Once you answer, the request goes on the next panel whose cut-off allows.",
    ],
    link: { href: d.url, label: "Read and answer the question" },
  });
}

/** To the chair who asked: the requester answered, and where the request is listed now. */
export function questionAnsweredEmail(d: { reference: string; listedFor: string | null; url: string }): RenderedEmail {
  return renderEmail({
    subject: `Threshold: your question on case ${d.reference} was answered`,
    heading: `The requester answered your question on case ${d.reference}`,
    paragraphs: [
      d.listedFor
        ? `The request is now listed for the panel on ${formatDate(d.listedFor)}.`
        : "The request waits for the area's next panel to be scheduled.",
    ],
    link: { href: d.url, label: "Open the panel" },
  });
}
