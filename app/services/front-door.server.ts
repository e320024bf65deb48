import { DateTime } from "luxon";
import { insertAuditEvent } from "../../db/queries/audit";
import {
  addCaseAgencies,
  insertCase,
  insertTransition,
  nextCaseReference,
  setCaseHolders,
  updateCaseDetails,
} from "../../db/queries/cases";
import {
  isFrontDoorMember,
  listFrontDoorMembers,
  listFrontDoorReferrals,
  markFrontDoorReceived,
  replaceFrontDoorMembers,
} from "../../db/queries/front-door";
import { findAreaById } from "../../db/queries/organisation";
import { findOwnRequest, findRequestById, mergeDraftAnswers, updateRequest } from "../../db/queries/requests";
import { listActiveUserIdsByRole, listUsers, listUsersByIds } from "../../db/queries/users";
import { frontDoorReceivedEmail, frontDoorReferralEmail } from "../../emails/front-door";
import { enqueueEmail } from "../../emails/outbox";
import { CASE_JOURNEY_VERSION, type CaseJourneyEvent } from "../../machines/case-journey/case-journey.machine";
import { startJourney } from "../../machines/case-journey/journey";
import type { FrontDoorAnswers } from "../forms/request";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { isoFromParts, ZONE } from "../lib/dates";
import { AlreadyDone, FormError } from "../lib/errors";
import { may } from "../lib/policy";
import { recordRead } from "./audit-trail.server";
import { forbidden, notFound } from "./authorise.server";
import { driveJourney } from "./case-journey.server";

/*
 * A child at immediate risk of harm never waits for a panel. Answering "yes"
 * to the risk question records nothing: the professional confirms it by
 * telling the front door what it needs (the child, where they are, the
 * concern, how to reach the person reporting) and can change their answer
 * until then. Sending it makes the case, hands it to the front-door team an
 * administrator names (each told by an email carrying only the reference),
 * and the team marks it received inside Threshold.
 */

/** Sends a draft whose risk answer is "yes" to the front door, with what the front door needs, in one transaction. */
export async function sendToFrontDoor(deps: Deps, actor: Actor, id: number, answers: FrontDoorAnswers, typed: Record<string, unknown>) {
  if (!may(actor.user, "submitRequests")) throw forbidden();
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const draft = await findOwnRequest(trx, actor.user.id, id, { lock: true });
    if (!draft) throw notFound();
    if (draft.status !== "draft") throw new AlreadyDone("This request has already been sent");
    if (draft.answers.immediateRisk !== "yes") throw new FormError({ form: "Answer the immediate-risk question first" });
    if (!(await findAreaById(trx, answers.areaId))) throw new FormError({ areaId: "Select the area" });
    const journey = startJourney(draft.kind === "step_up" ? "early_help" : "social_care");
    const reference = await nextCaseReference(trx, DateTime.fromJSDate(now).setZone(ZONE).year);
    const created = await insertCase(trx, {
      reference,
      areaId: answers.areaId,
      status: journey.value,
      journey,
      machineVersion: CASE_JOURNEY_VERSION,
      createdBy: actor.user.id,
      at: now,
    });
    await insertTransition(trx, {
      caseId: created.id,
      at: now,
      actorUserId: actor.user.id,
      event: "CREATED",
      from: null,
      to: journey.value,
      requestId: id,
    });
    await updateCaseDetails(trx, created.id, {
      firstName: answers.firstName,
      lastName: answers.lastName,
      dateOfBirth: isoFromParts(typed, "dob"),
      address: answers.address,
      siblings: null,
    });
    await addCaseAgencies(trx, created.id, [actor.user.agencyId]);
    // Until the front door takes it, the person reporting holds the risk.
    await setCaseHolders(trx, created.id, { riskHolder: `${actor.user.name}, ${actor.user.agencyName}, until the front door takes it` });
    const event: CaseJourneyEvent =
      draft.kind === "step_up"
        ? { type: "REQUEST_STEP_UP", at: now.toISOString(), immediateRisk: true }
        : {
            type: "REQUEST_STEP_DOWN",
            at: now.toISOString(),
            immediateRisk: true,
            target: "early_help",
            familyConsent: false,
            outcomes: [],
            proposedLead: null,
          };
    await driveJourney(trx, created.id, event, {
      actorUserId: actor.user.id,
      requestId: id,
      reason: "Immediate risk of harm reported: handed to the front door",
    });
    await mergeDraftAnswers(trx, id, { concern: answers.concern, contactPhone: answers.contactPhone }, now);
    await updateRequest(trx, id, { status: "front_door", caseId: created.id, areaId: answers.areaId, submittedAt: now, at: now });
    const told = await frontDoorRecipients(trx, answers.areaId);
    const url = `${appUrlOf(deps)}/front-door`;
    for (const person of told) {
      await enqueueEmail(
        trx,
        {
          ...frontDoorReferralEmail({ reference, url }),
          key: `front_door:${id}:${person.id}`,
          kind: "front_door_referral",
          to: person.email,
        },
        now,
      );
    }
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: "case.referred_to_front_door",
      recordType: "case",
      recordId: reference,
      ip: actor.ip,
      detail: { request: id, told: told.length },
    });
    return { reference };
  });
}

/** The front-door team; with nobody named, the area's team managers, so someone is always told. */
async function frontDoorRecipients(trx: Deps["db"], areaId: number) {
  const team = await listFrontDoorMembers(trx);
  if (team.length) return team;
  return (await listUsersByIds(trx, await listActiveUserIdsByRole(trx, "team_manager", areaId))).filter((u) => u.active);
}

/** The front-door team's list of referrals handed to them (audited as a read of every case it shows). */
export async function frontDoorReferrals(deps: Deps, actor: Actor) {
  if (!(await isFrontDoorMember(deps.db, actor.user.id))) throw forbidden();
  const rows = await listFrontDoorReferrals(deps.db);
  if (rows.length) await recordRead(deps, actor, { action: "case.front_door_viewed", cases: rows.map((r) => r.reference) });
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    child: [r.child_first_name, r.child_last_name].filter(Boolean).join(" "),
    area: r.area_name,
    concern: typeof r.answers.concern === "string" ? r.answers.concern : "",
    contactPhone: typeof r.answers.contactPhone === "string" ? r.answers.contactPhone : "",
    asker: `${r.asker_name}, ${r.agency_name}`,
    askerEmail: r.asker_email,
    at: r.submitted_at,
    receivedAt: r.front_door_received_at,
    receivedBy: r.received_by,
  }));
}

/** Someone in the team takes a referral: recorded once, audited, and the person who made it is told. */
export async function receiveReferral(deps: Deps, actor: Actor, requestId: number) {
  if (!(await isFrontDoorMember(deps.db, actor.user.id))) throw forbidden();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const request = await findRequestById(trx, requestId);
    if (!request || request.status !== "front_door" || !request.case_id) throw notFound();
    if (!(await markFrontDoorReceived(trx, requestId, actor.user.id, now)))
      throw new AlreadyDone("Someone in the team has already received this referral");
    const [asker] = await listUsersByIds(trx, [request.submitted_by_user_id]);
    const reference = (await listFrontDoorReferrals(trx)).find((r) => r.id === requestId)!.reference;
    if (asker?.active) {
      await enqueueEmail(
        trx,
        {
          ...frontDoorReceivedEmail({ reference, url: `${appUrlOf(deps)}/cases/${reference}` }),
          key: `front_door_received:${requestId}`,
          kind: "front_door_received",
          to: asker.email,
        },
        now,
      );
    }
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: "case.front_door_received",
      recordType: "case",
      recordId: reference,
      ip: actor.ip,
      detail: { request: requestId },
    });
  });
}

/** For administrators: everyone who could be in the team, and who is. */
export async function frontDoorTeamForAdmin(deps: Deps, actor: Actor) {
  if (!may(actor.user, "administer")) throw forbidden();
  const [people, team] = await Promise.all([listUsers(deps.db), listFrontDoorMembers(deps.db)]);
  const members = new Set(team.map((m) => m.id));
  return people
    .filter((p) => p.active && may(p, "takePart"))
    .map((p) => ({ id: p.id, name: p.name, agency: p.agency_name, member: members.has(p.id) }));
}

export async function setFrontDoorTeam(deps: Deps, actor: Actor, userIds: number[]) {
  if (!may(actor.user, "administer")) throw forbidden();
  const offered = new Set((await frontDoorTeamForAdmin(deps, actor)).map((p) => p.id));
  if (userIds.some((id) => !offered.has(id))) throw new FormError({ "userIds[]": "Choose people from the list" });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await replaceFrontDoorMembers(trx, [...new Set(userIds)], now);
    await insertAuditEvent(trx, { at: now, actorUserId: actor.user.id, action: "front_door.team_set", ip: actor.ip, detail: { userIds } });
  });
}

/** Whether the person is in the front-door team (the home page offers them its list). */
export function inFrontDoorTeam(deps: Deps, actor: Actor) {
  return isFrontDoorMember(deps.db, actor.user.id);
}
