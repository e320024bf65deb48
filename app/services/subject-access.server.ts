import { listChallengeEvents } from "../../db/queries/challenges";
import { listFamilyTold } from "../../db/queries/family";
import { listEngagementReviews } from "../../db/queries/engagement";
import { listFamilyLetters } from "../../db/queries/letters";
import { listEmailsAbout } from "../../db/queries/outbox";
import { listAuditAboutCase, listCaseMinutes, listWithheldFields, replaceWithheldFields } from "../../db/queries/subject-access";
import type { ChallengeState } from "../../machines/challenge/challenge.machine";
import type { Actor, Deps } from "../lib/context";
import { formatDate, formatDateTime } from "../lib/dates";
import { DECISION_LABELS, ENGAGEMENT_LABELS, FAMILY_TOLD_LABELS } from "../lib/labels";
import { may } from "../lib/policy";
import { requestAnswerRows } from "../lib/request-answers";
import { auditActionInWords, CHALLENGE_STATE_LABELS, challengeEventInWords } from "../lib/state-labels";
import { recordRead } from "./audit-trail.server";
import { badRequest, forbidden } from "./authorise.server";
import { statusLabel } from "./case-journey.server";
import { caseRecords, visibleCase } from "./cases.server";
import type { Minutes } from "./meeting.server";
import { audit } from "./panel-access.server";

/**
 * Everything held about one child, for a subject access request: the case,
 * every request with its answers, decisions, the minutes' extracts about the
 * case, actions, what the family was told and the letters written to them, challenges with their history, the emails written about them
 * and who has viewed the case. For a manager who may see the case.
 */
async function subjectAccessRecord(deps: Deps, actor: Actor, reference: string) {
  if (!may(actor.user, "managePanels")) throw forbidden();
  const found = await visibleCase(deps, actor, reference);
  const [{ transitions, requests, decisions, agencies, challenges, actions }, minutes] = await Promise.all([
    caseRecords(deps, found.id),
    listCaseMinutes(deps.db, found.id),
  ]);
  const challengeHistory = await Promise.all(challenges.map(async (c) => ({ ...c, events: await listChallengeEvents(deps.db, c.id) })));
  const [familyTold, reviews, letters, emails, viewed, withheld] = await Promise.all([
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
    listWithheldFields(deps.db, found.id),
  ]);
  const extracts = minutes.flatMap((m) => {
    const items = ((m.minutes as Minutes | null)?.items ?? []).filter((i) => i.reference === found.reference);
    return items.map((item) => ({ panelId: m.panel_id, meetingDate: m.meeting_date, kind: m.kind, areaName: m.area_name, item }));
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
    withheld,
  };
}

type SubjectAccessRecord = Awaited<ReturnType<typeof subjectAccessRecord>>;

/**
 * One line of the record. `field` names it when it is something a person typed
 * (and so may name someone other than the child): those are what a reviewer
 * may withhold.
 */
export interface Entry {
  key: string;
  value: string;
  field?: string;
  withheld?: boolean;
}

export type Section =
  | { kind: "lists"; heading: string; groups: Array<{ id: string; title?: string; rows: Entry[] }> }
  | { kind: "table"; heading: string; caption: string; headers: string[]; rows: Array<{ id: string; cells: Entry[] }> };

/** What the copy shows in place of a withheld detail: that something was left out, and why. */
export const WITHHELD_TEXT = "[Withheld: information about another person]";

const outcome = (o: string) => DECISION_LABELS[o as keyof typeof DECISION_LABELS] ?? o;
const typed = (field: string, key: string, value: string | null | undefined): Entry => ({ key, value: value ?? "", field });
const shown = (key: string, value: string): Entry => ({ key, value });

/** The record as sections of lines, in the order the family reads it. */
function sectionsOf(r: SubjectAccessRecord): Section[] {
  const c = r.case;
  const table = (heading: string, caption: string, headers: string[], rows: Array<{ id: string; cells: Entry[] }>): Section => ({
    kind: "table",
    heading,
    caption,
    headers,
    rows,
  });
  return [
    {
      kind: "lists",
      heading: "The case",
      groups: [
        {
          id: "case",
          rows: [
            shown("Reference", c.reference),
            shown("Area", c.area_name),
            shown("Where the family is supported", statusLabel(c.status)),
            shown("Child", [c.child_first_name, c.child_last_name].filter(Boolean).join(" ") || "Not held"),
            shown("Date of birth", c.child_date_of_birth ? formatDate(c.child_date_of_birth) : "Not held"),
            shown("Address", c.child_address ?? "Not held"),
            typed("case.0.siblings", "Sibling group", c.siblings ?? "Not held"),
            shown("Who holds the risk", c.risk_holder ?? "Not held"),
            shown("Lead practitioner", c.lead_practitioner ?? "Not held"),
            shown("Agencies involved", r.agencies.map((a) => a.name).join(", ") || "None"),
          ],
        },
      ],
    },
    table(
      "History",
      "Changes to where the family is supported",
      ["When", "Change", "Reason"],
      r.transitions.map((t, i) => ({
        id: String(i),
        cells: [
          shown("When", formatDateTime(t.at)),
          shown(
            "Change",
            t.from_status ? `${statusLabel(t.from_status)} → ${statusLabel(t.to_status)}` : `Started in ${statusLabel(t.to_status)}`,
          ),
          typed(`history.${i}.reason`, "Reason", t.reason),
        ],
      })),
    ),
    {
      kind: "lists",
      heading: `Requests (${r.requests.length})`,
      groups: r.requests.map((q) => ({
        id: String(q.id),
        title: `${q.kind === "step_up" ? "Step-up" : "Step-down"} request by ${q.submitted_by}, ${q.agency_name}, sent ${
          q.submitted_at ? formatDateTime(q.submitted_at) : "Not sent"
        }`,
        rows: requestAnswerRows(q.kind, (q.answers ?? {}) as Record<string, unknown>).map((row, i) =>
          typed(`request.${q.id}.${i}`, row.key, row.value),
        ),
      })),
    },
    {
      kind: "lists",
      heading: `Decisions (${r.decisions.length})`,
      groups: r.decisions.map((d) => ({
        id: String(d.id),
        rows: [
          shown("Decided", formatDateTime(d.decided_at)),
          shown("Outcome", outcome(d.outcome)),
          typed(`decision.${d.id}.reasons`, "Reasons", d.reasons),
          shown("Who holds the risk", d.risk_holder),
          ...(d.discussion ? [typed(`decision.${d.id}.discussion`, "Discussion", d.discussion)] : []),
          ...(d.correction_reason ? [typed(`decision.${d.id}.correction`, "Corrected because", d.correction_reason)] : []),
        ],
      })),
    },
    {
      kind: "lists",
      heading: `From the minutes (${r.extracts.length})`,
      groups: r.extracts.map((e, i) => ({
        id: `${e.panelId}-${i}`,
        title: `${e.areaName} ${e.kind === "extraordinary" ? "extraordinary " : ""}panel, ${formatDate(e.meetingDate)}`,
        rows: [
          shown("Outcome", outcome(e.item.outcome)),
          typed(`minutes.${e.panelId}x${i}.reasons`, "Reasons", e.item.reasons),
          ...(e.item.discussion ? [typed(`minutes.${e.panelId}x${i}.discussion`, "Discussion", e.item.discussion)] : []),
        ],
      })),
    },
    table(
      `Actions (${r.actions.length})`,
      "Actions about the case",
      ["Action", "Owner", "Due", "Status"],
      r.actions.map((a) => ({
        id: String(a.id),
        cells: [
          typed(`action.${a.id}.description`, "Action", a.description),
          shown("Owner", a.owner_name),
          shown("Due", formatDate(a.due_date)),
          a.status === "done" && a.done_note
            ? typed(`action.${a.id}.note`, "Status", `Done: ${a.done_note}`)
            : shown("Status", a.status === "done" ? "Done" : "Open"),
        ],
      })),
    ),
    table(
      `What the family was told (${r.familyTold.length})`,
      "Each time the family was told of a decision",
      ["When", "How", "By", "What the family said"],
      r.familyTold.map((t) => ({
        id: String(t.id),
        cells: [
          shown("When", formatDate(t.told_on)),
          shown("How", FAMILY_TOLD_LABELS[t.method]),
          shown("By", t.told_by),
          typed(`told.${t.id}.response`, "What the family said", t.response),
        ],
      })),
    ),
    table(
      `Reviews after a step down (${r.reviews.length})`,
      "How the family engaged, as each review found",
      ["Review", "How the family engaged", "What the review found"],
      r.reviews.map((v) => ({
        id: String(v.id),
        cells: [
          shown("Review", formatDate(v.reviewed_on)),
          shown("How the family engaged", ENGAGEMENT_LABELS[v.outcome]),
          typed(`review.${v.id}.reason`, "What the review found", v.reason),
        ],
      })),
    ),
    {
      kind: "lists",
      heading: `Letters to the family (${r.letters.length})`,
      groups: r.letters.map((l) => ({
        id: String(l.id),
        rows: [
          shown("Written", `${formatDateTime(l.written_at)} by ${l.written_by}`),
          shown("Reviewed", l.reviewed_at ? `${formatDateTime(l.reviewed_at)} by ${l.reviewed_by}` : "Not yet"),
          typed(`letter.${l.id}.body`, "The letter", l.body),
        ],
      })),
    },
    {
      kind: "lists",
      heading: `Challenges (${r.challenges.length})`,
      groups: r.challenges.map((ch) => ({
        id: String(ch.id),
        rows: [
          shown("Raised", formatDateTime(ch.created_at)),
          typed(`challenge.${ch.id}.disagreement`, "Disagreement", ch.disagreement),
          typed(`challenge.${ch.id}.reason`, "Reason", ch.reason),
          shown("Status", CHALLENGE_STATE_LABELS[ch.status as ChallengeState] ?? ch.status),
          ...ch.events.map((e, i) =>
            e.text
              ? typed(`challenge.${ch.id}.event${i}`, formatDateTime(e.at), `${challengeEventInWords(e)}: ${e.text}`)
              : shown(formatDateTime(e.at), challengeEventInWords(e)),
          ),
        ],
      })),
    },
    table(
      `Emails written about the case (${r.emails.length})`,
      "Emails",
      ["Written", "To", "Subject", "Status"],
      r.emails.map((e) => ({
        id: String(e.id),
        cells: [
          shown("Written", formatDateTime(e.created_at)),
          shown("To", e.recipient),
          shown("Subject", e.subject),
          shown("Status", e.status),
        ],
      })),
    ),
    table(
      `Who has seen or changed the case (${r.viewed.length})`,
      "Audit of the case",
      ["When", "Who", "What"],
      r.viewed.map((v, i) => ({
        id: String(i),
        cells: [
          shown("When", formatDateTime(v.at)),
          shown("Who", v.actor_name ?? "The service"),
          shown("What", auditActionInWords(v.action)),
        ],
      })),
    ),
  ];
}

function mapEntries(sections: Section[], f: (e: Entry) => Entry): Section[] {
  return sections.map((s) =>
    s.kind === "lists"
      ? { ...s, groups: s.groups.map((g) => ({ ...g, rows: g.rows.map(f) })) }
      : { ...s, rows: s.rows.map((row) => ({ ...row, cells: row.cells.map(f) })) },
  );
}

/**
 * The record for review (every detail shown, the withheld ones marked) or the
 * copy for the family (withheld details replaced by a note, never sent to the
 * browser). Audited as an export either way.
 */
export async function subjectAccessDocument(deps: Deps, actor: Actor, reference: string, mode: "review" | "copy") {
  const r = await subjectAccessRecord(deps, actor, reference);
  const marks = new Set(r.withheld);
  const all = sectionsOf(r);
  // The same words recorded in several places (a decision's reasons, the
  // minutes, the case history) are withheld everywhere once withheld anywhere.
  const words = new Set<string>();
  mapEntries(all, (e) => {
    if (e.field && marks.has(e.field) && e.value.trim()) words.add(e.value.trim());
    return e;
  });
  let withheld = 0;
  const sections = mapEntries(all, (e) => {
    if (!e.field || !(marks.has(e.field) || words.has(e.value.trim()))) return e;
    withheld += 1;
    return mode === "review" ? { ...e, withheld: true } : { key: e.key, value: WITHHELD_TEXT, withheld: true };
  });
  await recordRead(deps, actor, {
    action: "case.subject_access_exported",
    recordType: "case",
    recordId: r.case.reference,
    cases: [r.case.reference],
    detail: { copy: mode === "copy", withheld },
  });
  return { reference: r.case.reference, sections, withheld, madeAt: deps.clock.now() };
}

const FIELD = /^[a-z]+\.[0-9x]+\.[a-z0-9]+$/;

/**
 * The reviewer's marks: which typed details name or describe someone other
 * than the child and are left out of the copy. Replaces the marks made before;
 * the record itself is untouched.
 */
export async function withholdFromSubjectAccess(deps: Deps, actor: Actor, reference: string, fields: string[]) {
  if (!may(actor.user, "managePanels")) throw forbidden();
  const found = await visibleCase(deps, actor, reference);
  if (fields.length > 2000 || fields.some((f) => !FIELD.test(f) || f.length > 100))
    throw badRequest("Those are not details of this record");
  const unique = [...new Set(fields)].sort();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await replaceWithheldFields(trx, { caseId: found.id, fields: unique, by: actor.user.id, at: now });
    await audit(trx, actor, now, "case.subject_access_withheld", found.reference, { withheld: unique.length });
  });
  return unique.length;
}
