import { formatDate } from "../app/lib/dates";
import { renderEmail, type RenderedEmail } from "./render";

export interface ActionAssignedData {
  reference: string;
  description: string;
  dueDate: string;
  actionsUrl: string;
}

/**
 * To the action's owner. The description is what the chair typed for a
 * professional audience; the template warns chairs (on the form) never to
 * put a child's name in it.
 */
export function actionAssignedEmail(d: ActionAssignedData): RenderedEmail {
  return renderEmail({
    subject: `Threshold: new action for case ${d.reference}`,
    heading: `You have a new action for case ${d.reference}`,
    paragraphs: [
      `Action: ${d.description}`,
      `Due by ${formatDate(d.dueDate)}.`,
      "When it is done, mark it done in Threshold with a short note.",
    ],
    link: { href: d.actionsUrl, label: "See my actions" },
  });
}
