import nodemailer from "nodemailer";
import type { Selectable } from "kysely";
import type { OutboxTable } from "../db/schema";

export interface Transport {
  /** "smtp" delivers for real; "mailbox" keeps mail in the app for the dev mailbox page. */
  name: "smtp" | "mailbox";
  send(email: Selectable<OutboxTable>): Promise<void>;
  close(): void;
}

function messageId(key: string, from: string): string {
  const domain = from.match(/@([^>\s]+)/)?.[1] ?? "threshold.localhost";
  return `<${key.replace(/[^A-Za-z0-9._-]/g, ".")}@${domain}>`;
}

/** nodemailer over SMTP_URL; without it, mail stays in the outbox and shows on /dev/mailbox. */
export function createTransport(options: { smtpUrl?: string; from: string }): Transport {
  if (!options.smtpUrl) {
    return { name: "mailbox", send: async () => {}, close: () => {} };
  }
  const transporter = nodemailer.createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: 5,
    maxMessages: 1000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    name: "smtp",
    async send(email) {
      await transporter.sendMail({
        from: options.from,
        // Exactly one recipient per email: never a shared To or Cc list.
        to: email.recipient,
        subject: email.subject,
        text: email.text_body,
        html: email.html_body,
        // The same logical email always carries the same Message-ID, so a resend after a
        // crash between sending and marking is recognised as a duplicate by mail systems.
        messageId: messageId(email.idempotency_key, options.from),
        ...(email.ics
          ? {
              icalEvent: { method: email.ics_method ?? "REQUEST", content: email.ics },
              attachments: [{ filename: "invite.ics", content: email.ics, contentType: "application/ics" }],
            }
          : {}),
      });
    },
    close: () => transporter.close(),
  };
}
