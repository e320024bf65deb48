import type { Database } from "../../db/connect";
import { insertAction } from "../../db/queries/actions";
import { findAreaById } from "../../db/queries/organisation";
import { listReceivingService } from "../../db/queries/users";
import { enqueueEmail } from "../../emails/outbox";
import { transferNoticeEmail } from "../../emails/transfer-notice";
import { appUrlOf, type Deps } from "../lib/context";
import { ukDate } from "../lib/dates";
import { workingDaysAfter } from "../lib/working-days";

const RECEIVING = {
  step_down_agreed_early_help: { kind: "early_help", service: "early help" },
  step_down_agreed_volunteer_support: { kind: "volunteer_family_support", service: "the Volunteer Family Support Service" },
} as const;

export function isStepDownAgreed(outcome: string): outcome is keyof typeof RECEIVING {
  return outcome in RECEIVING;
}

/**
 * When a step down is agreed, the receiving service is told (the area's early
 * help team managers, or the Volunteer Family Support Service) with the
 * reference, the lead practitioner and the transfer date, and the transfer
 * meeting becomes an action for the first of them, so it is in their "My
 * actions". In the decision's transaction. Returns who was told.
 */
export async function handOverStepDown(
  trx: Database,
  deps: Deps,
  d: {
    decisionId: number;
    outcome: keyof typeof RECEIVING;
    caseId: number;
    reference: string;
    areaId: number;
    panelId: number | null;
    agendaItemId: number | null;
    leadPractitioner: string | null;
    /** Nobody is named as lead practitioner yet: naming one becomes the receiving manager's first action. */
    leadToName: boolean;
    transferDate: string | null;
    decidedBy: number;
  },
  now: Date,
) {
  const receiving = RECEIVING[d.outcome];
  const { people, contacts } = await listReceivingService(trx, d.areaId, receiving.kind);
  const owner = people[0];
  if (owner && d.leadToName) {
    // The hand-over's first clock: the receiving service names its lead practitioner within the area's working days (one by default).
    const area = await findAreaById(trx, d.areaId);
    await insertAction(trx, {
      caseId: d.caseId,
      panelId: d.panelId,
      agendaItemId: d.agendaItemId,
      description: `Name the lead practitioner for case ${d.reference}${d.leadPractitioner ? ` (the panel accepted: ${d.leadPractitioner})` : ""}`,
      ownerUserId: owner.id,
      dueDate: workingDaysAfter(ukDate(now), area?.lead_within_days ?? 1),
      createdBy: d.decidedBy,
      at: now,
      handover: "name_lead",
    });
  }
  if (owner && d.transferDate) {
    await insertAction(trx, {
      caseId: d.caseId,
      panelId: d.panelId,
      agendaItemId: d.agendaItemId,
      description: `Hold the transfer meeting or joint visit for case ${d.reference} with the lead practitioner (${d.leadPractitioner ?? "not recorded"})`,
      ownerUserId: owner.id,
      dueDate: d.transferDate,
      createdBy: d.decidedBy,
      at: now,
      handover: "transfer",
    });
  }
  const appUrl = appUrlOf(deps);
  const base = { reference: d.reference, service: receiving.service, leadPractitioner: d.leadPractitioner, transferDate: d.transferDate };
  for (const person of people) {
    await enqueueEmail(
      trx,
      {
        ...transferNoticeEmail({ ...base, actionsUrl: `${appUrl}/actions` }),
        key: `decision:${d.decisionId}:transfer:to:${person.id}`,
        kind: "transfer_notice",
        to: person.email,
      },
      now,
    );
  }
  for (const contact of contacts) {
    await enqueueEmail(
      trx,
      {
        ...transferNoticeEmail({ ...base, actionsUrl: null }),
        key: `decision:${d.decisionId}:transfer:to:agency:${contact.agencyId}`,
        kind: "transfer_notice",
        to: contact.email,
      },
      now,
    );
  }
  return { told: [...people.map((p) => p.email), ...contacts.map((c) => c.email)], owner: owner?.name ?? null };
}

/**
 * When a step up is agreed, children's social care receives the case and the
 * same two clocks start from the area's settings: a social worker named as
 * lead practitioner within the area's working days (one by default), and the
 * transfer meeting or joint visit with early help within its working days (five
 * by default). Both are actions for the receiving team manager — the chair when
 * the chair manages the area's social care team, else the first of its team
 * managers — so they sit on My actions with their deadlines and go overdue like
 * a step down's. The other team managers are told by email, by reference only.
 * In the decision's transaction. Returns who holds the clocks.
 */
export async function handOverStepUp(
  trx: Database,
  deps: Deps,
  d: {
    decisionId: number;
    caseId: number;
    reference: string;
    areaId: number;
    panelId: number | null;
    agendaItemId: number | null;
    decidedBy: number;
  },
  now: Date,
) {
  const { people } = await listReceivingService(trx, d.areaId, "childrens_social_care");
  const owner = people.find((p) => p.id === d.decidedBy) ?? people[0];
  if (!owner) return { owner: null, told: [] as string[] };
  const area = await findAreaById(trx, d.areaId);
  const today = ukDate(now);
  const transferDate = workingDaysAfter(today, area?.transfer_within_days ?? 5);
  await insertAction(trx, {
    caseId: d.caseId,
    panelId: d.panelId,
    agendaItemId: d.agendaItemId,
    description: `Name the social worker who leads case ${d.reference} (the lead practitioner)`,
    ownerUserId: owner.id,
    dueDate: workingDaysAfter(today, area?.lead_within_days ?? 1),
    createdBy: d.decidedBy,
    at: now,
    handover: "name_lead",
  });
  await insertAction(trx, {
    caseId: d.caseId,
    panelId: d.panelId,
    agendaItemId: d.agendaItemId,
    description: `Hold the transfer meeting or joint visit with early help for case ${d.reference}`,
    ownerUserId: owner.id,
    dueDate: transferDate,
    createdBy: d.decidedBy,
    at: now,
    handover: "transfer",
  });
  const told = people.filter((p) => p.id !== d.decidedBy);
  for (const person of told) {
    await enqueueEmail(
      trx,
      {
        ...transferNoticeEmail({
          reference: d.reference,
          service: "children's social care",
          leadPractitioner: null,
          transferDate,
          actionsUrl: person.id === owner.id ? `${appUrlOf(deps)}/actions` : null,
        }),
        key: `decision:${d.decisionId}:transfer:to:${person.id}`,
        kind: "transfer_notice",
        to: person.email,
      },
      now,
    );
  }
  return { owner: owner.name, told: told.map((p) => p.email) };
}
