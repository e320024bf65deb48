import { formatDate } from "../app/lib/dates";
import { renderEmail, type RenderedEmail } from "./render";

export interface PackReadyData {
  areaName: string;
  meetingDate: string;
  packUrl: string;
  /** Someone invited for an item has a pack of that item only. */
  part: "whole" | "item";
}

/** To each person invited, once the agenda is sent: the pack is read behind sign-in, and nothing of a child is in the email. */
export function packReadyEmail(d: PackReadyData): RenderedEmail {
  return renderEmail({
    subject: `Threshold: the pack for the ${d.areaName} panel, ${formatDate(d.meetingDate)}`,
    heading: "The panel pack is ready",
    paragraphs: [
      d.part === "whole"
        ? `The agenda for the panel on ${formatDate(d.meetingDate)} has been sent. The pack holds the agenda with its times and each request with what partners have added.`
        : `The agenda for the panel on ${formatDate(d.meetingDate)} has been sent. Your pack holds the item you are invited to discuss, and you can add what your agency knows before the meeting.`,
      "Please read it before the meeting and mark it read, so the chair knows who has.",
    ],
    link: { href: d.packUrl, label: "Read the pack" },
  });
}
