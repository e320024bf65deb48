import { formatDate, formatTime } from "../app/lib/dates";
import { allowHttpLinks, safeLink } from "../app/lib/safe-link";
import { renderEmail, type RenderedEmail } from "./render";

export interface PanelInviteData {
  areaName: string;
  kind: "routine" | "extraordinary";
  startsAt: Date;
  endsAt: Date;
  venue: string | null;
  meetingLink: string | null;
  panelUrl: string;
  change: "new" | "updated" | "cancelled";
  cancelledReason?: string | null;
}

/** Where the meeting is; a stored link that is not a web address is left out. */
function whereText(d: { venue: string | null; meetingLink: string | null }) {
  const link = safeLink(d.meetingLink, { allowHttp: allowHttpLinks() });
  return [d.venue, link ? `online: ${link}` : null].filter(Boolean).join("; ") || "to be confirmed";
}

function panelName(d: Pick<PanelInviteData, "areaName" | "kind">) {
  return `${d.areaName} ${d.kind === "extraordinary" ? "extraordinary " : ""}step-up and step-down panel`;
}

/** To the chair and each core member: the meeting itself, with its calendar invite. */
export function panelInviteEmail(d: PanelInviteData): RenderedEmail {
  const when = `${formatDate(d.startsAt)}, ${formatTime(d.startsAt)} to ${formatTime(d.endsAt)}`;
  const prefix = d.change === "cancelled" ? "Cancelled: " : d.change === "updated" ? "Updated: " : "";
  const where = whereText(d);
  return renderEmail({
    subject: `${prefix}Threshold: ${panelName(d)}, ${formatDate(d.startsAt)}`,
    heading: d.change === "cancelled" ? `The ${panelName(d)} is cancelled` : `${panelName(d)}`,
    paragraphs:
      d.change === "cancelled"
        ? [
            `The panel on ${when} will not meet.`,
            d.cancelledReason ? `Reason: ${d.cancelledReason}` : "",
            "Its requests move to the next panel.",
          ].filter(Boolean)
        : [
            d.change === "updated" ? `The panel's details have changed. It now meets ${when}.` : `The panel meets ${when}.`,
            `Where: ${where}.`,
            "The calendar invite is attached. The agenda is in Threshold.",
          ],
    link: { href: d.panelUrl, label: "See the agenda" },
  });
}

export interface SlotInviteData {
  areaName: string;
  reference: string;
  startsAt: Date;
  endsAt: Date;
  venue: string | null;
  meetingLink: string | null;
  panelUrl: string;
  /** The panel's live page: the running agenda with real timings, on the day. */
  liveUrl: string;
  change: "new" | "updated" | "cancelled";
}

/** To a partner invited for one agenda item only: their slot, not the whole meeting. */
export function slotInviteEmail(d: SlotInviteData): RenderedEmail {
  const when = `${formatDate(d.startsAt)}, ${formatTime(d.startsAt)} to ${formatTime(d.endsAt)}`;
  const prefix = d.change === "cancelled" ? "Cancelled: " : d.change === "updated" ? "Updated: " : "";
  const where = whereText(d);
  return renderEmail({
    subject: `${prefix}Threshold: panel slot for case ${d.reference}`,
    heading: d.change === "cancelled" ? `Your panel slot for case ${d.reference} is cancelled` : `Panel slot for case ${d.reference}`,
    paragraphs:
      d.change === "cancelled"
        ? [`You are no longer needed at the ${d.areaName} panel on ${when} for this case.`]
        : [
            d.change === "updated"
              ? `Your slot has moved. It is now ${when}.`
              : `You are invited to the ${d.areaName} panel for this case: ${when}.`,
            `Where: ${where}.`,
            "Join for this slot only. The calendar invite is attached.",
            `On the day, the live page shows the item being discussed and when yours is expected to start: ${d.liveUrl}`,
          ],
    link: { href: d.panelUrl, label: "See the panel in Threshold" },
  });
}
