import { recordRead } from "./audit-trail.server";
import { DateTime } from "luxon";
import { insertAuditEvent } from "../../db/queries/audit";
import { claimActionNotices, completeActionRow, findAction, listActionsForOwner, listActionsNeedingNotice } from "../../db/queries/actions";
import { actionDigestEmail, actionNoticeEmail, type ActionNotice } from "../../emails/action-notice";
import { enqueueEmail } from "../../emails/outbox";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { ukDate, ZONE } from "../lib/dates";
import { FormError } from "../lib/errors";
import { addWorkingDays } from "../lib/working-days";
import { notFound } from "./authorise.server";

/** "Due soon": within two working days. */
export const DUE_SOON_WORKING_DAYS = 2;

/** My actions: open ones split into overdue, due soon and later; done ones after. */
export async function myActions(deps: Deps, actor: Actor) {
  const now = deps.clock.now();
  const today = DateTime.fromJSDate(now).setZone(ZONE).toISODate()!;
  const soon = DateTime.fromJSDate(addWorkingDays(now, DUE_SOON_WORKING_DAYS)).setZone(ZONE).toISODate()!;
  const rows = await listActionsForOwner(deps.db, actor.user.id);
  if (rows.length) await recordRead(deps, actor, { action: "action.list_viewed", cases: rows.map((r) => r.reference) });
  const open = rows.filter((r) => r.status === "open");
  return {
    overdue: open.filter((r) => r.due_date < today),
    dueSoon: open.filter((r) => r.due_date >= today && r.due_date <= soon),
    later: open.filter((r) => r.due_date > soon),
    done: rows.filter((r) => r.status === "done"),
  };
}

/** Only the owner marks an action done, with a note of what was done. */
export async function completeAction(deps: Deps, actor: Actor, input: { actionId: number; note: string }) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const action = await findAction(trx, input.actionId);
    if (!action || action.owner_user_id !== actor.user.id) throw notFound();
    if (!(await completeActionRow(trx, action.id, actor.user.id, input.note, now))) {
      throw new FormError({ note: "This action is already done" });
    }
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: "case.action_done",
      recordType: "case",
      recordId: action.reference,
      ip: actor.ip,
      detail: { actionId: action.id },
    });
  });
}

/**
 * The day's reminders (two working days before due) and overdue notices, each
 * sent once: claimed in the same transaction as the emails. An owner with
 * several gets one digest instead of many emails.
 */
export async function sendActionNotices(deps: Deps) {
  const now = deps.clock.now();
  const today = ukDate(now);
  const startOfToday = DateTime.fromISO(today, { zone: ZONE }).toJSDate();
  const soonUntil = ukDate(addWorkingDays(now, DUE_SOON_WORKING_DAYS));
  const yesterday = DateTime.fromISO(today).minus({ days: 1 }).toISODate()!;
  const actionsUrl = `${appUrlOf(deps)}/actions`;
  return deps.db.transaction().execute(async (trx) => {
    const due = await listActionsNeedingNotice(trx, "reminder", today, soonUntil, startOfToday);
    const late = await listActionsNeedingNotice(trx, "overdue", "1900-01-01", yesterday, new Date(now.getTime() + 1));
    const wonDue = await claimActionNotices(
      trx,
      due.map((a) => a.id),
      "reminder",
      today,
    );
    const wonLate = await claimActionNotices(
      trx,
      late.map((a) => a.id),
      "overdue",
      today,
    );
    const byOwner = new Map<number, { email: string; notices: Array<ActionNotice & { id: number }> }>();
    const add = (a: (typeof due)[number], kind: "reminder" | "overdue") => {
      const entry = byOwner.get(a.owner_user_id) ?? { email: a.owner_email, notices: [] };
      entry.notices.push({ id: a.id, kind, reference: a.reference, description: a.description, dueDate: a.due_date });
      byOwner.set(a.owner_user_id, entry);
    };
    for (const a of late.filter((x) => wonLate.has(x.id))) add(a, "overdue");
    for (const a of due.filter((x) => wonDue.has(x.id))) add(a, "reminder");
    for (const [ownerId, { email, notices }] of byOwner) {
      if (notices.length === 1) {
        const [n] = notices;
        await enqueueEmail(
          trx,
          { ...actionNoticeEmail(n, actionsUrl), key: `action:${n.id}:${n.kind}`, kind: `action_${n.kind}`, to: email },
          now,
        );
      } else {
        const ids = notices.map((n) => `${n.kind[0]}${n.id}`).join(".");
        await enqueueEmail(
          trx,
          { ...actionDigestEmail(notices, actionsUrl), key: `digest:${ownerId}:${today}:${ids}`, kind: "action_digest", to: email },
          now,
        );
      }
    }
    return { reminders: wonDue.size, overdue: wonLate.size, emails: byOwner.size };
  });
}
