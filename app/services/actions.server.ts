import { DateTime } from "luxon";
import { insertAuditEvent } from "../../db/queries/audit";
import { completeActionRow, findAction, listActionsForOwner } from "../../db/queries/panels";
import type { Actor, Deps } from "../lib/context";
import { ZONE } from "../lib/dates";
import { FormError } from "../lib/forms";
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
