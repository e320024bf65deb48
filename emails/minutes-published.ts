import { formatDate } from "../app/lib/dates";
import { renderEmail, type RenderedEmail } from "./render";

export interface MinutesPublishedData {
  areaName: string;
  meetingDate: string;
  minutesUrl: string;
  /** Someone invited for one item is sent only that item's part of the minutes. */
  part?: "whole" | "item";
}

/** To everyone invited: the minutes exist; they are read behind sign-in. */
export function minutesPublishedEmail(d: MinutesPublishedData): RenderedEmail {
  return renderEmail({
    subject: `Threshold: minutes of the ${d.areaName} panel, ${formatDate(d.meetingDate)}`,
    heading: `Minutes of the ${d.areaName} panel are published`,
    paragraphs: [
      d.part === "item"
        ? `The chair has published the minutes of the panel on ${formatDate(d.meetingDate)}. You can read the part for the item you were invited to discuss: the decision, reasons, who holds the risk and the actions with their owners.`
        : `The chair has published the minutes of the panel on ${formatDate(d.meetingDate)}: decisions, reasons, who holds the risk and the actions with their owners.`,
    ],
    link: { href: d.minutesUrl, label: "Read the minutes" },
  });
}
