import { formatDate } from "../app/lib/dates";
import { renderEmail, type RenderedEmail } from "./render";

/** To a panel's chair when a case leaves their agenda from its own page (sent to the front door, or its request withdrawn). */
export function itemLeftAgendaEmail(d: {
  reference: string;
  meetingDate: string;
  why: "front_door" | "withdrawn";
  url: string;
}): RenderedEmail {
  return renderEmail({
    subject: `Threshold: case ${d.reference} has left your panel's agenda`,
    heading: `Case ${d.reference} is no longer on the agenda for ${formatDate(d.meetingDate)}`,
    paragraphs: [
      d.why === "front_door"
        ? "It was sent to the front door: the child is reported to be at immediate risk of harm."
        : "Its request was withdrawn.",
      "Anyone invited for it has been sent a cancellation.",
    ],
    link: { href: d.url, label: "Open the panel" },
  });
}
