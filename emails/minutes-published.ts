import { formatDate } from "../app/lib/dates";
import { renderEmail, type RenderedEmail } from "./render";

export interface MinutesPublishedData {
  areaName: string;
  meetingDate: string;
  minutesUrl: string;
}

/** To everyone invited: the minutes exist; they are read behind sign-in. */
export function minutesPublishedEmail(d: MinutesPublishedData): RenderedEmail {
  return renderEmail({
    subject: `Threshold: minutes of the ${d.areaName} panel, ${formatDate(d.meetingDate)}`,
    heading: `Minutes of the ${d.areaName} panel are published`,
    paragraphs: [
      `The chair has published the minutes of the panel on ${formatDate(d.meetingDate)}: decisions, reasons, who holds the risk and the actions with their owners.`,
    ],
    link: { href: d.minutesUrl, label: "Read the minutes" },
  });
}
