import { insertAuditEvent } from "../../db/queries/audit";
import { findOutboxEmail, listOutbox, retryFailed } from "../../db/queries/outbox";
import type { Actor, Deps } from "../lib/context";
import { forbidden, notFound } from "./authorise.server";
import { may } from "../lib/policy";

function assertAdmin(actor: Actor) {
  if (!may(actor.user, "administer")) throw forbidden();
}

/** Every email the service has written, newest first: the dev mailbox and the failed-delivery list. */
export async function listEmails(deps: Deps, actor: Actor) {
  assertAdmin(actor);
  return listOutbox(deps.db);
}

export async function readEmail(deps: Deps, actor: Actor, id: number) {
  assertAdmin(actor);
  const email = await findOutboxEmail(deps.db, id);
  if (!email) throw notFound();
  return email;
}

export async function retryEmail(deps: Deps, actor: Actor, id: number) {
  assertAdmin(actor);
  const result = await retryFailed(deps.db, id, deps.clock.now());
  if (Number(result.numUpdatedRows) !== 1) throw notFound();
  await insertAuditEvent(deps.db, {
    at: deps.clock.now(),
    actorUserId: actor.user.id,
    action: "email.retried",
    recordType: "outbox",
    recordId: id,
    ip: actor.ip,
  });
}
