import { recordRead } from "./audit-trail.server";
import { findOutboxEmail, listOutbox } from "../../db/queries/outbox";
import { retryFailedEmail } from "./email-delivery.server";
import type { Actor, Deps } from "../lib/context";
import { forbidden, notFound } from "./authorise.server";
import { may } from "../lib/policy";

type MailboxDeps = Deps & { settings?: { mailboxPage?: boolean; maskMailboxLinks?: boolean } };

/** Administrators only, and only where the page is on (in production it is off unless MAILBOX_ENABLED=true). */
function assertAdmin(actor: Actor, deps: MailboxDeps) {
  if (deps.settings && deps.settings.mailboxPage === false) throw notFound();
  if (!may(actor.user, "administer")) throw forbidden();
}

const SECRET_LINK = /(\/set-password\/|\/calendar\/)([A-Za-z0-9_-]{6})[A-Za-z0-9_-]+/g;

/**
 * A link that is itself a key (a password link, a calendar feed) cut short,
 * so whoever reads the mailbox cannot use someone else's.
 */
export function maskSecretLinks(text: string): string {
  return text.replace(SECRET_LINK, "$1$2…(hidden)");
}

/** Every email the service has written, newest first: the dev mailbox and the failed-delivery list. */
export async function listEmails(deps: MailboxDeps, actor: Actor) {
  assertAdmin(actor, deps);
  const emails = await listOutbox(deps.db);
  await recordRead(deps, actor, { action: "mailbox.viewed", detail: { emails: emails.length } });
  return emails;
}

export async function readEmail(deps: MailboxDeps, actor: Actor, id: number) {
  assertAdmin(actor, deps);
  const email = await findOutboxEmail(deps.db, id);
  if (!email) throw notFound();
  await recordRead(deps, actor, { action: "mailbox.email_viewed", recordType: "outbox", recordId: id });
  if (!deps.settings?.maskMailboxLinks) return email;
  return {
    ...email,
    text_body: maskSecretLinks(email.text_body),
    html_body: maskSecretLinks(email.html_body),
    ics: email.ics ? maskSecretLinks(email.ics) : email.ics,
  };
}

export async function retryEmail(deps: MailboxDeps, actor: Actor, id: number) {
  assertAdmin(actor, deps);
  await retryFailedEmail(deps, actor, id);
}
