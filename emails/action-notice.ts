import { formatDate } from "../app/lib/dates";
import { renderEmail, type RenderedEmail } from "./render";

export interface ActionNotice {
  kind: "reminder" | "overdue";
  reference: string;
  description: string;
  dueDate: string;
}

function line(n: ActionNotice) {
  return `Case ${n.reference}: ${n.description} – ${n.kind === "overdue" ? "was due" : "due"} ${formatDate(n.dueDate)}`;
}

/** One action: a reminder two working days before it is due, or a notice that it is overdue. */
export function actionNoticeEmail(n: ActionNotice, actionsUrl: string): RenderedEmail {
  const overdue = n.kind === "overdue";
  return renderEmail({
    subject: overdue ? `Threshold: action overdue for case ${n.reference}` : `Threshold: action due soon for case ${n.reference}`,
    heading: overdue ? `An action for case ${n.reference} is overdue` : `An action for case ${n.reference} is due soon`,
    paragraphs: [line(n), "If it is done, mark it done in Threshold with a short note. If it cannot be done, tell the panel chair."],
    link: { href: actionsUrl, label: "See my actions" },
  });
}

/** Several notices for one owner on one day: one email instead of many. */
export function actionDigestEmail(notices: ActionNotice[], actionsUrl: string): RenderedEmail {
  const overdue = notices.filter((n) => n.kind === "overdue").length;
  return renderEmail({
    subject: `Threshold: ${notices.length} actions need you${overdue ? ` (${overdue} overdue)` : ""}`,
    heading: "Your actions today",
    paragraphs: [...notices.map(line), "Mark each done in Threshold with a short note when it is complete."],
    link: { href: actionsUrl, label: "See my actions" },
  });
}
