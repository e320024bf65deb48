import { completeHandoverActions, listHandoverOwners } from "../../db/queries/actions";
import { listDecisionsForCase, setCaseHolders } from "../../db/queries/cases";
import { findNamedLead, insertNamedLead } from "../../db/queries/lead-practitioners";
import { listAreaPeople, listUsersByIds } from "../../db/queries/users";
import { enqueueEmail } from "../../emails/outbox";
import { leadNamedEmail } from "../../emails/transfer-notice";
import { leadPractitionerSchema } from "../forms/lead-practitioner";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { mayInArea } from "../lib/policy";
import { validate } from "../lib/validation";
import { recordRead } from "./audit-trail.server";
import { forbidden } from "./authorise.server";
import { resolveChosenPerson, visibleCase } from "./cases.server";
import { audit } from "./panel-access.server";
import { isStepDownAgreed } from "./handover.server";

/**
 * Naming the lead practitioner after a step up or step down: the receiving
 * service's manager (who holds the "name the lead practitioner" action) or a
 * manager for the case's area names them, from any agency, with a supervisor
 * where the case is held outside children's social care.
 */
async function leadCase(deps: Deps, actor: Actor, reference: string) {
  const found = await visibleCase(deps, actor, reference);
  const current = (await listDecisionsForCase(deps.db, found.id)).find((d) => !d.superseded_by_decision_id) ?? null;
  const decision = current && (current.outcome === "step_up_agreed" || isStepDownAgreed(current.outcome)) ? current : null;
  const owners = decision ? await listHandoverOwners(deps.db, found.id, "name_lead") : [];
  const mayName = Boolean(decision) && (mayInArea(actor.user, "managePanels", found.area_id) || owners.includes(actor.user.id));
  // After a step down the case is held outside children's social care, so a supervisor is named.
  const supervisorRequired = Boolean(decision && isStepDownAgreed(decision.outcome));
  return { found, decision, mayName, supervisorRequired };
}

/** The lead practitioner page: who leads the case now, and the form for those who name them. Audited as a read of the case. */
export async function viewLeadPractitioner(deps: Deps, actor: Actor, reference: string) {
  const { found, decision, mayName, supervisorRequired } = await leadCase(deps, actor, reference);
  const named = await findNamedLead(deps.db, found.id);
  const people = mayName ? await listAreaPeople(deps.db, found.area_id) : [];
  await recordRead(deps, actor, { action: "case.lead_viewed", recordType: "case", recordId: found.reference });
  return { case: found, decision, named: named ?? null, people, mayName, supervisorRequired };
}

/**
 * Names the lead practitioner (and supervisor): kept with the case, shown as
 * its lead, completes the open "name the lead practitioner" action and tells
 * the person named, by reference only. One transaction; what was typed comes
 * back with messages when it will not do.
 */
export async function nameLeadPractitioner(deps: Deps, actor: Actor, reference: string, values: Record<string, unknown>) {
  const { found, decision, mayName, supervisorRequired } = await leadCase(deps, actor, reference);
  if (!decision || !mayName)
    throw forbidden("Only the receiving service's manager or a manager for the case's area names the lead practitioner");
  const parsed = validate(leadPractitionerSchema(supervisorRequired), values);
  if (!parsed.ok) return parsed.errors;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const lead = await resolveChosenPerson(trx, found.area_id, parsed.data.lead, "leadPractitioner");
    const supervisor = parsed.data.supervisor ? await resolveChosenPerson(trx, found.area_id, parsed.data.supervisor, "supervisor") : null;
    await insertNamedLead(trx, {
      caseId: found.id,
      decisionId: decision.id,
      lead: lead.label,
      leadUserId: lead.userId,
      supervisor: supervisor?.label ?? null,
      supervisorUserId: supervisor?.userId ?? null,
      namedBy: actor.user.id,
      at: now,
    });
    await setCaseHolders(trx, found.id, { leadPractitioner: lead.label });
    const completed = await completeHandoverActions(trx, found.id, "name_lead", `Named: ${lead.label}`, now);
    await audit(trx, actor, now, "case.lead_named", found.reference, {
      decision: decision.id,
      leadUserId: lead.userId,
      supervisorUserId: supervisor?.userId ?? null,
      actionsCompleted: completed,
    });
    if (lead.userId && lead.userId !== actor.user.id) {
      const [person] = await listUsersByIds(trx, [lead.userId]);
      if (person) {
        await enqueueEmail(
          trx,
          {
            ...leadNamedEmail({
              reference: found.reference,
              caseUrl: `${appUrlOf(deps)}/cases/${found.reference}`,
              supervisor: supervisor?.label ?? null,
            }),
            key: `lead:${found.id}:${now.getTime()}:to:${person.id}`,
            kind: "lead_named",
            to: person.email,
          },
          now,
        );
      }
    }
  });
  return null;
}
