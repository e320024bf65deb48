import type { RequestKind } from "../lib/request-kind";
import { actionAssignedEmail } from "../../emails/action-assigned";
import { insertAuditEvent } from "../../db/queries/audit";
import { findCaseReferenceById } from "../../db/queries/cases";
import { findAgendaItem, listAgendaItems } from "../../db/queries/agenda";
import { findVisiblePanel, updatePanelIfUnchanged } from "../../db/queries/panels";
import { insertAction, listPanelActions } from "../../db/queries/actions";
import { listAreaPeople, listUsersByIds } from "../../db/queries/users";
import { listAttendees, setAttendance } from "../../db/queries/attendance";
import { listPanelDecisions } from "../../db/queries/decisions";
import { listRequestAnswers } from "../../db/queries/requests";
import { enqueueEmail } from "../../emails/outbox";
import { eventsToStart } from "../../machines/panel/panel.machine";
import type { z } from "zod";
import { DECISION_LABELS } from "../forms/case";
import type { actionSchema, attendanceSchema, itemDecisionSchema } from "../forms/panel";
import { isoFromParts } from "../lib/dates";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { FormError } from "../lib/errors";
import { invitePartnerInTransaction } from "./admin.server";
import { forbidden, notFound } from "./authorise.server";
import { decideInTransaction } from "./cases.server";
import { drivePanel } from "./panel-lifecycle.server";
import { isRefused } from "./machine-driver.server";
import { assertOffered, audit, chairPanel, touchPanel } from "./panel-access.server";
import { viewAgenda } from "./agenda.server";

/**
 * Everything the chair needs in the room, in a fixed number of queries: the
 * item in hand (the one asked for, or the first undecided) comes with what
 * its requester wrote.
 */
export async function viewMeeting(deps: Deps, actor: Actor, panelId: number, chosenItemId: number | null = null) {
  const agenda = await viewAgenda(deps, actor, panelId);
  if (!agenda.mayChair) throw forbidden();
  const current = agenda.items.find((i) => i.id === chosenItemId) ?? agenda.items.find((i) => i.status === "listed") ?? null;
  const [decisions, actions, owners, answers] = await Promise.all([
    listPanelDecisions(deps.db, panelId),
    listPanelActions(deps.db, panelId),
    listAreaPeople(deps.db, agenda.panel.area_id),
    listRequestAnswers(deps.db, current ? [current.request_id] : []),
  ]);
  const currentAnswers = current ? ((answers[0]?.answers ?? {}) as Record<string, unknown>) : null;
  // The chairing page shows each case's decision and risk holder: a read of those cases.
  await insertAuditEvent(deps.db, {
    at: deps.clock.now(),
    actorUserId: actor.user.id,
    action: "panel.meeting_viewed",
    recordType: "panel",
    recordId: panelId,
    ip: actor.ip,
    detail: { cases: agenda.items.map((i) => i.reference) },
  });
  const present = agenda.attendees.filter((a) => a.attendance === "in_person" || a.attendance === "online");
  const represented = new Set(present.map((a) => a.agency_kind));
  const missing = [
    !represented.has("childrens_social_care") ? "children's social care" : null,
    !represented.has("early_help") ? "early help" : null,
  ].filter((x): x is string => Boolean(x));
  return { ...agenda, decisions, actions, owners, missing, current, currentAnswers };
}

export async function startMeeting(deps: Deps, actor: Actor, panelId: number, input: { version: number }) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    const events = eventsToStart(panel.status, now.toISOString());
    if (!events.length) throw new FormError({ form: "This panel cannot start now" });
    for (const event of events) await drivePanel(trx, panel, event, { actorUserId: actor.user.id });
    await audit(trx, actor, now, "panel.started", panelId, {});
  });
}

export async function recordAttendance(
  deps: Deps,
  actor: Actor,
  panelId: number,
  version: number,
  marks: z.output<typeof attendanceSchema>,
) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, version, async (trx, panel) => {
    if (panel.status !== "in_session") throw new FormError({ form: "Start the meeting before recording attendance" });
    await setAttendance(trx, panelId, marks);
    await touchPanel(trx, panel, now);
    await audit(trx, actor, now, "panel.attendance_recorded", panelId, { marked: marks.length });
  });
}

/**
 * One item's decision: the decision's rows and the case journey in one
 * transaction. A stale form (someone else decided) gets a clear conflict.
 */
export async function decideItem(deps: Deps, actor: Actor, panelId: number, input: z.output<ReturnType<typeof itemDecisionSchema>>) {
  return chairPanel(deps, actor, panelId, null, async (trx, panel) => {
    if (panel.status !== "in_session") throw new FormError({ form: "Start the meeting before recording decisions" });
    const item = await findAgendaItem(trx, input.itemId);
    if (!item || item.panel_id !== panelId) throw notFound();
    if (item.status !== "listed") throw new FormError({ outcome: "This item has already been decided or has left the agenda" });
    const caseRow = { id: item.case_id, reference: (await findCaseReferenceById(trx, item.case_id))! };
    const values = input as Record<string, unknown>;
    const result = await decideInTransaction(
      trx,
      deps,
      actor,
      caseRow,
      {
        requestId: item.request_id,
        version: input.caseVersion,
        outcome: input.outcome,
        reasons: input.reasons,
        riskHolder: input.riskHolder,
      },
      {
        panelId,
        agendaItemId: item.id,
        discussion: input.discussion ?? null,
        leadPractitioner: input.leadPractitioner ?? null,
        // The transfer meeting belongs to a step-down, which names its lead practitioner.
        transferDate: input.leadPractitioner ? isoFromParts(values, "transfer") : null,
        reviewDate: isoFromParts(values, "review"),
        challenge: input.challenge ?? null,
      },
    );
    await touchPanel(trx, panel, deps.clock.now());
    return result;
  });
}

/**
 * An action agreed at panel: one owner (an existing user, or a partner the chair
 * invites on the spot) and a due date; the owner is emailed.
 */
export async function addAction(deps: Deps, actor: Actor, panelId: number, input: z.output<ReturnType<typeof actionSchema>>) {
  const now = deps.clock.now();
  const dueDate = isoFromParts(input as Record<string, unknown>, "due");
  if (!dueDate) throw new FormError({ dueDay: "The due date must be a real date" });
  return chairPanel(deps, actor, panelId, null, async (trx, panel) => {
    if (panel.status !== "in_session") throw new FormError({ form: "Actions are added while the panel is in session" });
    const item = await findAgendaItem(trx, input.itemId);
    if (!item || item.panel_id !== panelId) throw notFound();
    let ownerId: number;
    if (input.owner === "new") {
      ownerId = await invitePartnerInTransaction(trx, deps, {
        name: input.newOwnerName!,
        email: input.newOwnerEmail!.trim(),
        agencyId: Number(input.newOwnerAgencyId),
        areaId: panel.area_id,
      });
    } else {
      ownerId = Number(input.owner);
      await assertOffered(trx, panel.area_id, { userIds: [ownerId] }).catch(() => {
        throw new FormError({ owner: "Choose the owner from the list" });
      });
    }
    const [owner] = await listUsersByIds(trx, [ownerId]);
    if (!owner?.active) throw new FormError({ owner: "Choose an active person to own the action" });
    const action = await insertAction(trx, {
      caseId: item.case_id,
      panelId,
      agendaItemId: item.id,
      description: input.description,
      ownerUserId: ownerId,
      dueDate,
      createdBy: actor.user.id,
      at: now,
    });
    const reference = (await findCaseReferenceById(trx, item.case_id))!;
    await enqueueEmail(
      trx,
      {
        ...actionAssignedEmail({ reference, description: input.description, dueDate, actionsUrl: `${appUrlOf(deps)}/actions` }),
        key: `action:${action.id}:assigned:to:${ownerId}`,
        kind: "action_assigned",
        to: owner.email,
      },
      now,
    );
    await touchPanel(trx, panel, now);
    await audit(trx, actor, now, "case.action_added", reference, { actionId: action.id, panelId });
    return action.id;
  });
}

export interface Minutes {
  areaName: string;
  kind: string;
  meetingDate: string;
  startsAt: string;
  endsAt: string;
  chair: string | null;
  attendance: Array<{ name: string; agency: string; attendance: string }>;
  items: Array<{
    reference: string;
    kind: RequestKind;
    outcome: string;
    reasons: string;
    discussion?: string | null;
    riskHolder: string;
    leadPractitioner: string | null;
    transferDate: string | null;
    reviewDate: string | null;
    challenge: string | null;
    actions: Array<{ description: string; owner: string; agency: string; dueDate: string }>;
  }>;
}

/** Concludes the meeting: every item decided, every action owned; minutes drafted for the chair to review. */
export async function concludePanel(deps: Deps, actor: Actor, panelId: number, input: { version: number }) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    const full = await findVisiblePanel(trx, actor.user, panelId);
    const [items, decisions, actions, attendees] = await Promise.all([
      listAgendaItems(trx, panelId),
      listPanelDecisions(trx, panelId),
      listPanelActions(trx, panelId),
      listAttendees(trx, [panelId]),
    ]);
    const undecided = items.filter((i) => i.status === "listed").length;
    const ownerless = actions.filter((a) => !a.owner_active).length;
    const concluded = await drivePanel(
      trx,
      panel,
      { type: "CONCLUDE", at: now.toISOString(), ownerlessActions: ownerless, undecidedItems: undecided },
      { actorUserId: actor.user.id },
    ).catch((error: unknown) => {
      if (isRefused(error)) return null;
      throw error;
    });
    if (!concluded) {
      // The machine refused: say why in the chair's terms.
      const problems = [
        panel.status !== "in_session" ? "The panel is not in session" : null,
        undecided ? `${undecided} item${undecided === 1 ? " has" : "s have"} no decision yet` : null,
        ownerless ? `${ownerless} action${ownerless === 1 ? " has" : "s have"} no active owner` : null,
      ].filter(Boolean);
      throw new FormError({ form: `The panel cannot conclude: ${problems.join("; ")}.` });
    }
    const minutes: Minutes = {
      areaName: full!.area_name,
      kind: panel.kind,
      meetingDate: panel.meeting_date,
      startsAt: new Date(panel.starts_at).toISOString(),
      endsAt: new Date(panel.ends_at).toISOString(),
      chair: full!.chair_name,
      attendance: attendees.map((a) => ({ name: a.name, agency: a.agency_name, attendance: a.attendance ?? "not recorded" })),
      items: items
        .filter((i) => i.status === "decided")
        .map((item) => {
          const d = decisions.find((x) => x.agenda_item_id === item.id);
          return {
            reference: item.reference,
            kind: item.kind,
            outcome: d ? (DECISION_LABELS[d.outcome as keyof typeof DECISION_LABELS] ?? d.outcome) : "Decided outside the panel",
            reasons: d?.reasons ?? "",
            discussion: d?.discussion ?? null,
            riskHolder: d?.risk_holder ?? "",
            leadPractitioner: d?.lead_practitioner ?? null,
            transferDate: d?.transfer_date ?? null,
            reviewDate: d?.review_date ?? null,
            challenge: d?.challenge ?? null,
            actions: actions
              .filter((a) => a.agenda_item_id === item.id)
              .map((a) => ({ description: a.description, owner: a.owner_name, agency: a.owner_agency, dueDate: a.due_date })),
          };
        }),
    };
    await updatePanelIfUnchanged(trx, panelId, panel.version, { at: now, minutes });
    await audit(trx, actor, now, "panel.concluded", panelId, { items: minutes.items.length });
  });
}
