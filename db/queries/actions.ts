import type { Database } from "../connect";

export function listPanelActions(db: Database, panelId: number) {
  return db
    .selectFrom("actions")
    .innerJoin("users as owner", "owner.id", "actions.owner_user_id")
    .innerJoin("agencies", "agencies.id", "owner.agency_id")
    .select([
      "actions.id",
      "actions.agenda_item_id",
      "actions.description",
      "actions.due_date",
      "actions.status",
      "actions.owner_user_id",
      "actions.handover",
      "owner.name as owner_name",
      "owner.active as owner_active",
      "agencies.name as owner_agency",
    ])
    .where("actions.panel_id", "=", panelId)
    .orderBy("actions.id")
    .execute();
}

export function insertAction(
  db: Database,
  a: {
    caseId: number;
    panelId: number | null;
    agendaItemId: number | null;
    description: string;
    ownerUserId: number;
    dueDate: string;
    createdBy: number;
    at: Date;
    handover?: "name_lead" | "transfer";
  },
) {
  return db
    .insertInto("actions")
    .values({
      handover: a.handover ?? null,
      case_id: a.caseId,
      panel_id: a.panelId,
      agenda_item_id: a.agendaItemId,
      description: a.description,
      owner_user_id: a.ownerUserId,
      due_date: a.dueDate,
      created_by_user_id: a.createdBy,
      created_at: a.at,
    })
    .returning(["id"])
    .executeTakeFirstOrThrow();
}

export function listActionsForOwner(db: Database, ownerId: number) {
  return db
    .selectFrom("actions")
    .innerJoin("cases", "cases.id", "actions.case_id")
    .leftJoin("panels", "panels.id", "actions.panel_id")
    .select([
      "actions.id",
      "actions.description",
      "actions.due_date",
      "actions.status",
      "actions.done_note",
      "actions.done_at",
      "actions.handover",
      "cases.reference",
      // Owning an action on a case is a relation to it: the child's name is the owner's to see.
      "cases.child_first_name",
      "cases.child_last_name",
      "panels.meeting_date",
    ])
    .where("actions.owner_user_id", "=", ownerId)
    .orderBy("actions.status", "desc")
    .orderBy("actions.due_date")
    .execute();
}

export function listActionsForCase(db: Database, caseId: number) {
  return db
    .selectFrom("actions")
    .innerJoin("users", "users.id", "actions.owner_user_id")
    .select([
      "actions.id",
      "actions.description",
      "actions.due_date",
      "actions.status",
      "actions.done_note",
      "actions.done_at",
      "actions.created_at",
      "users.name as owner_name",
    ])
    .where("actions.case_id", "=", caseId)
    .orderBy("actions.due_date")
    .execute();
}

export async function completeActionRow(db: Database, id: number, ownerId: number, note: string, at: Date) {
  const result = await db
    .updateTable("actions")
    .set({ status: "done", done_note: note, done_at: at })
    .where("id", "=", id)
    .where("owner_user_id", "=", ownerId)
    .where("status", "=", "open")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Completes the case's open hand-over actions of one step (naming its lead practitioner), whoever owns them. */
export async function completeHandoverActions(db: Database, caseId: number, step: "name_lead", note: string, at: Date) {
  const result = await db
    .updateTable("actions")
    .set({ status: "done", done_note: note, done_at: at })
    .where("case_id", "=", caseId)
    .where("handover", "=", step)
    .where("status", "=", "open")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** What a hand-over action says when a corrected decision made it unneeded: insight leaves these out of the hand-over's timeliness. */
export const HANDOVER_WITHDRAWN = "Not needed: the decision that started the hand-over was corrected";

/** Closes the case's open hand-over actions because the decision that started them was corrected. Returns how many. */
export async function withdrawHandoverActions(db: Database, caseId: number, at: Date) {
  const result = await db
    .updateTable("actions")
    .set({ status: "done", done_note: HANDOVER_WITHDRAWN, done_at: at })
    .where("case_id", "=", caseId)
    .where("handover", "is not", null)
    .where("status", "=", "open")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The people who own the case's open hand-over actions of one step. */
export async function listHandoverOwners(db: Database, caseId: number, step: "name_lead") {
  const rows = await db
    .selectFrom("actions")
    .select("owner_user_id")
    .where("case_id", "=", caseId)
    .where("handover", "=", step)
    .where("status", "=", "open")
    .execute();
  return rows.map((r) => r.owner_user_id);
}

export function findAction(db: Database, id: number) {
  return db
    .selectFrom("actions")
    .innerJoin("cases", "cases.id", "actions.case_id")
    .select(["actions.id", "actions.owner_user_id", "actions.status", "actions.description", "cases.reference"])
    .where("actions.id", "=", id)
    .executeTakeFirst();
}

/** Open actions whose reminder or overdue notice is due today and not yet sent. */
export function listActionsNeedingNotice(db: Database, kind: "reminder" | "overdue", dueFrom: string, dueTo: string, createdBefore: Date) {
  return db
    .selectFrom("actions")
    .innerJoin("cases", "cases.id", "actions.case_id")
    .innerJoin("users", "users.id", "actions.owner_user_id")
    .select([
      "actions.id",
      "actions.description",
      "actions.due_date",
      "actions.owner_user_id",
      "users.email as owner_email",
      "users.active as owner_active",
      "cases.reference",
    ])
    .where("actions.status", "=", "open")
    .where("actions.due_date", ">=", dueFrom)
    .where("actions.due_date", "<=", dueTo)
    .where("actions.created_at", "<", createdBefore)
    .where("users.active", "=", true)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("action_notices")
            .select("action_notices.action_id")
            .whereRef("action_notices.action_id", "=", "actions.id")
            .where("action_notices.kind", "=", kind),
        ),
      ),
    )
    .orderBy("actions.due_date")
    .execute();
}

/** Claims notices; returns the action ids this caller won (another worker may have claimed some). */
export async function claimActionNotices(db: Database, actionIds: number[], kind: "reminder" | "overdue", today: string) {
  if (!actionIds.length) return new Set<number>();
  const rows = await db
    .insertInto("action_notices")
    .values(actionIds.map((id) => ({ action_id: id, kind, sent_on: today })))
    .onConflict((oc) => oc.columns(["action_id", "kind"]).doNothing())
    .returning("action_id")
    .execute();
  return new Set(rows.map((r) => r.action_id));
}

/** How many open actions an owner has: overdue (before `today`), due by `soon`, and in all. */
export async function countOpenActions(db: Database, ownerId: number, today: string, soon: string) {
  const row = await db
    .selectFrom("actions")
    .select((eb) => [
      eb.fn.countAll<number>().as("open"),
      eb.fn.sum<number>(eb.case().when("due_date", "<", today).then(1).else(0).end()).as("overdue"),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb("due_date", ">=", today), eb("due_date", "<=", soon)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as("due_soon"),
    ])
    .where("owner_user_id", "=", ownerId)
    .where("status", "=", "open")
    .executeTakeFirst();
  return { open: Number(row?.open ?? 0), overdue: Number(row?.overdue ?? 0), dueSoon: Number(row?.due_soon ?? 0) };
}
