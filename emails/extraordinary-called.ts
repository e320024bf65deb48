import { formatDate, formatTime } from "../app/lib/dates";
import { renderEmail, type RenderedEmail } from "./render";

export interface ExtraordinaryCalledData {
  areaName: string;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  panelUrl: string;
}

/** Sent at once to everyone an extraordinary panel needs, with its calendar invite. */
export function extraordinaryCalledEmail(d: ExtraordinaryCalledData): RenderedEmail {
  return renderEmail({
    subject: `Threshold: extraordinary ${d.areaName} panel, ${formatDate(d.startsAt)}`,
    heading: `An extraordinary ${d.areaName} panel has been called`,
    paragraphs: [
      `It meets ${formatDate(d.startsAt)}, ${formatTime(d.startsAt)} to ${formatTime(d.endsAt)}.`,
      `Why: ${d.reason}`,
      "The calendar invite is attached. Please accept or send apologies.",
    ],
    link: { href: d.panelUrl, label: "See the agenda" },
  });
}

export interface ExtraordinaryDeclinedData {
  areaName: string;
  reason: string;
  url: string;
}

export function extraordinaryDeclinedEmail(d: ExtraordinaryDeclinedData): RenderedEmail {
  return renderEmail({
    subject: `Threshold: your request for an extraordinary ${d.areaName} panel`,
    heading: "Your request for an extraordinary panel was declined",
    paragraphs: [`Reason: ${d.reason}`],
    link: { href: d.url, label: "See extraordinary panels" },
  });
}
