import { insertAuditEvent } from "../../db/queries/audit";
import {
  findLetterTemplate,
  insertFamilyLetter,
  listFamilyLetters,
  listLetterTemplates,
  markFamilyLetterReviewed,
  rewriteFamilyLetter,
  saveLetterTemplate,
} from "../../db/queries/letters";
import { DECISION_OUTCOMES, type DecisionOutcome } from "../../machines/case-journey/case-journey.machine";
import { familyLetterSchema, type letterTemplateSchema } from "../forms/family";
import type { Actor, Deps } from "../lib/context";
import { formatDate } from "../lib/dates";
import { fillLetter, STANDARD_LETTERS } from "../lib/family-letters";
import { DECISION_LABELS } from "../lib/labels";
import { mayInArea } from "../lib/policy";
import { validate } from "../lib/validation";
import type { z } from "zod";
import { recordRead } from "./audit-trail.server";
import { forbidden, notFound } from "./authorise.server";
import { familyCase } from "./family.server";
import { audit } from "./panel-access.server";

/**
 * The letter to the family after a decision: started from the outcome's
 * wording with the case's details filled in, changed as the writer sees fit,
 * reviewed by a manager for the area who did not write it, and only then
 * printed. Every letter stays with the case as it was written.
 */
async function letterCase(deps: Deps, actor: Actor, reference: string) {
  const { found, decision, mayRecord } = await familyCase(deps, actor, reference);
  const letters = await listFamilyLetters(deps.db, found.id);
  const letter = decision ? (letters.find((l) => l.decision_id === decision.id) ?? null) : null;
  return {
    found,
    decision,
    letter,
    mayWrite: mayRecord,
    mayReview: Boolean(decision) && mayInArea(actor.user, "managePanels", found.area_id),
  };
}

/** The letter page: the standing decision's letter if one is written, or the wording to start one from. */
export async function viewFamilyLetter(deps: Deps, actor: Actor, reference: string) {
  const { found, decision, letter, mayWrite, mayReview } = await letterCase(deps, actor, reference);
  let draft: string | null = null;
  if (decision && !letter && mayWrite) {
    const outcome = decision.outcome as DecisionOutcome;
    const template = (await findLetterTemplate(deps.db, outcome))?.body ?? STANDARD_LETTERS[outcome];
    draft = fillLetter(template, {
      child: [found.child_first_name, found.child_last_name].filter(Boolean).join(" ") || "your child",
      decisionDate: formatDate(decision.decided_at),
      area: found.area_name,
      lead: found.lead_practitioner ?? "a worker from the service",
      riskHolder: found.risk_holder ?? "your current worker",
      writer: `${actor.user.name}, ${actor.user.agencyName}`,
    });
  }
  await recordRead(deps, actor, { action: "case.letter_viewed", recordType: "case", recordId: found.reference });
  return {
    case: found,
    decision,
    letter,
    draft,
    mayWrite,
    mayReview: mayReview && letter !== null && letter.written_by_user_id !== actor.user.id,
  };
}

/** Saves the letter for review: a new one, or the unreviewed one rewritten. What was typed comes back with messages when it will not do. */
export async function saveFamilyLetter(deps: Deps, actor: Actor, reference: string, values: Record<string, unknown>) {
  const { found, decision, letter, mayWrite } = await letterCase(deps, actor, reference);
  if (!decision || !mayWrite) throw forbidden("Only the case's chair, a manager for its area or its lead practitioner writes the letter");
  const parsed = validate(familyLetterSchema, values);
  if (!parsed.ok) return parsed.errors;
  const now = deps.clock.now();
  const failed = await deps.db.transaction().execute(async (trx) => {
    if (letter && !letter.reviewed_at) {
      if (!(await rewriteFamilyLetter(trx, letter.id, { body: parsed.data.body, by: actor.user.id, at: now }))) {
        return { body: "This letter has just been reviewed, so it can no longer be changed" };
      }
    } else if (letter) {
      return { body: "This letter has been reviewed and is kept as it was printed" };
    } else {
      await insertFamilyLetter(trx, { caseId: found.id, decisionId: decision.id, body: parsed.data.body, by: actor.user.id, at: now });
    }
    await audit(trx, actor, now, "case.letter_written", found.reference, { decision: decision.id });
    return null;
  });
  return failed;
}

/** A manager for the area who did not write the letter says it may be printed. */
export async function reviewFamilyLetter(deps: Deps, actor: Actor, reference: string) {
  const { found, decision, letter, mayReview } = await letterCase(deps, actor, reference);
  if (!decision || !mayReview) throw forbidden("Only a manager for the case's area reviews the letter");
  if (!letter || letter.reviewed_at) return { review: "There is no letter waiting to be reviewed" };
  if (letter.written_by_user_id === actor.user.id) return { review: "Someone other than the letter's writer reviews it" };
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    if (!(await markFamilyLetterReviewed(trx, letter.id, { by: actor.user.id, at: now }))) {
      return { review: "The letter changed or was reviewed while you read it: read it again" };
    }
    await audit(trx, actor, now, "case.letter_reviewed", found.reference, { letter: letter.id });
    return null;
  });
}

/** The reviewed letter alone, for printing. */
export async function familyLetterToPrint(deps: Deps, actor: Actor, reference: string) {
  const { found, letter } = await letterCase(deps, actor, reference);
  if (!letter?.reviewed_at) throw notFound();
  await recordRead(deps, actor, { action: "case.letter_viewed", recordType: "case", recordId: found.reference });
  return { reference: found.reference, body: letter.body, writtenAt: letter.written_at };
}

/** Each outcome's wording as the administrator sees it: theirs where they changed it, the standard one otherwise. */
export async function letterTemplatesForAdmin(deps: Deps) {
  const saved = new Map((await listLetterTemplates(deps.db)).map((t) => [t.outcome, t]));
  return DECISION_OUTCOMES.map((outcome) => ({
    outcome,
    label: DECISION_LABELS[outcome],
    body: saved.get(outcome)?.body ?? STANDARD_LETTERS[outcome],
    changedAt: saved.get(outcome)?.updated_at ?? null,
  }));
}

export async function saveLetterWording(deps: Deps, actor: Actor, input: z.output<typeof letterTemplateSchema>) {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await saveLetterTemplate(trx, { outcome: input.outcome, body: input.body, by: actor.user.id, at: now });
    await insertAuditEvent(trx, {
      at: now,
      actorUserId: actor.user.id,
      action: "letter_template.saved",
      ip: actor.ip,
      detail: { outcome: input.outcome },
    });
  });
}
