import { listChallengeEvents } from "../../db/queries/challenges";
import { listFamilyTold } from "../../db/queries/family";
import { listEngagementReviews } from "../../db/queries/engagement";
import { listFamilyLetters } from "../../db/queries/letters";
import { listEmailsAbout } from "../../db/queries/outbox";
import { listAuditAboutCase, listCaseMinutes } from "../../db/queries/subject-access";
import type { Actor, Deps } from "../lib/context";
import { may } from "../lib/policy";
import { recordRead } from "./audit-trail.server";
import { forbidden } from "./authorise.server";
import { caseRecords, visibleCase } from "./cases.server";
import type { Minutes } from "./meeting.server";

/**
 * Everything held about one child, for a subject access request: the case,
 * every request with its answers, decisions, the minutes' extracts about the
 * case, actions, what the family was told and the letters written to them, challenges with their history, the emails written about them
 * and who has viewed the case. For a manager who may see the case; audited as an export.
 */
export async function subjectAccessRecord(deps: Deps, actor: Actor, reference: string) {
  if (!may(actor.user, "managePanels")) throw forbidden();
  const found = await visibleCase(deps, actor, reference);
  const [{ transitions, requests, decisions, agencies, challenges, actions }, minutes] = await Promise.all([
    caseRecords(deps, found.id),
    listCaseMinutes(deps.db, found.id),
  ]);
  const challengeHistory = await Promise.all(challenges.map(async (c) => ({ ...c, events: await listChallengeEvents(deps.db, c.id) })));
  const [familyTold, reviews, letters, emails, viewed] = await Promise.all([
    listFamilyTold(deps.db, found.id),
    listEngagementReviews(deps.db, found.id),
    listFamilyLetters(deps.db, found.id),
    listEmailsAbout(deps.db, {
      decisionIds: decisions.map((d) => d.id),
      actionIds: actions.map((a) => a.id),
      challengeIds: challenges.map((c) => c.id),
      itemIds: minutes.map((m) => m.item_id),
    }),
    listAuditAboutCase(deps.db, found.reference),
  ]);
  const extracts = minutes.flatMap((m) => {
    const items = ((m.minutes as Minutes | null)?.items ?? []).filter((i) => i.reference === found.reference);
    return items.map((item) => ({ panelId: m.panel_id, meetingDate: m.meeting_date, kind: m.kind, areaName: m.area_name, item }));
  });
  await recordRead(deps, actor, {
    action: "case.subject_access_exported",
    recordType: "case",
    recordId: found.reference,
    cases: [found.reference],
  });
  return {
    case: found,
    transitions,
    requests,
    decisions,
    agencies,
    challenges: challengeHistory,
    actions,
    familyTold,
    letters,
    reviews,
    extracts,
    emails,
    viewed,
    madeAt: deps.clock.now(),
  };
}
