import type { z } from "zod";
import type { Database } from "../../db/connect";
import { findCaseReferenceById } from "../../db/queries/cases";
import { findPanel } from "../../db/queries/panels";
import { answerQuestion, insertQuestion, listQuestions, lockOpenQuestion } from "../../db/queries/questions";
import { findRequestById } from "../../db/queries/requests";
import { findUserById } from "../../db/queries/users";
import { listAgendaItems, updateAgendaItem } from "../../db/queries/agenda";
import { enqueueEmail } from "../../emails/outbox";
import { questionAnsweredEmail, questionAskedEmail } from "../../emails/request-question";
import type { answerQuestionSchema, sortRequestSchema } from "../forms/panel";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { FormError } from "../lib/errors";
import { recordRead } from "./audit-trail.server";
import { notFound } from "./authorise.server";
import { decideInTransaction } from "./cases.server";
import { audit, chairPanel, touchPanel } from "./panel-access.server";
import { cancelSlotInvites } from "./panel-invites.server";
import { placeRequest } from "./request-placement.server";

/** Before the meeting only: once it sits, the table decides. */
export const SORTING: readonly string[] = ["scheduled", "agenda_open", "agenda_closed"];

/**
 * The chair sorts a waiting request before the panel: lists it, asks its
 * requester for more information (the item leaves the agenda until the
 * answer), or closes it with advice (a step up signposted, a step down not
 * agreed, the advice as the reasons, the requester's agency holding the risk). One transaction, audited;
 * the requester is emailed by reference only.
 */
export async function sortRequest(
  deps: Deps,
  actor: Actor,
  panelId: number,
  input: z.output<typeof sortRequestSchema>,
): Promise<"listed" | "asked" | "closed"> {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    if (!SORTING.includes(panel.status)) throw new FormError({ choice: "Requests are sorted before the meeting starts" });
    const item = (await listAgendaItems(trx, panelId, ["listed"])).find((i) => i.id === input.itemId);
    if (!item) throw notFound();
    const detail = { cases: [item.reference], itemId: item.id, choice: input.choice };
    if (input.choice === "list") {
      await updateAgendaItem(trx, item.id, { sortedAt: now });
      await touchPanel(trx, panel, now);
      await audit(trx, actor, now, "request.sorted", panelId, detail);
      return "listed";
    }
    if (input.choice === "ask") {
      await cancelSlotInvites(trx, panelId, [item.id], appUrlOf(deps), now);
      await updateAgendaItem(trx, item.id, { status: "returned" });
      await insertQuestion(trx, { requestId: item.request_id, panelId, askedBy: actor.user.id, question: input.question!, at: now });
      const requester = await findUserById(trx, item.submitted_by_user_id);
      if (requester?.active) {
        await enqueueEmail(
          trx,
          {
            ...questionAskedEmail({
              reference: item.reference,
              meetingDate: panel.meeting_date,
              url: `${appUrlOf(deps)}/requests/${item.request_id}/answer`,
            }),
            key: `question:${item.request_id}:${now.getTime()}`,
            kind: "request_question",
            to: requester.email,
          },
          now,
        );
      }
      await touchPanel(trx, panel, now);
      await audit(trx, actor, now, "request.information_requested", panelId, detail);
      return "asked";
    }
    const requester = await findUserById(trx, item.submitted_by_user_id);
    await decideInTransaction(
      trx,
      deps,
      actor,
      { id: item.case_id, reference: item.reference },
      {
        requestId: item.request_id,
        version: item.case_version,
        // A step up closed with advice is signposted (early help carries on); a step down is not agreed (social care keeps it).
        outcome: item.kind === "step_up" ? "signposted" : "not_agreed",
        reasons: input.advice!,
        riskHolder: requester ? `${requester.name}, ${item.agency_name}` : item.agency_name,
      },
      { panelId, agendaItemId: item.id, riskHolderUserId: requester?.id ?? null },
    );
    await cancelSlotInvites(trx, panelId, [item.id], appUrlOf(deps), now);
    await touchPanel(trx, panel, now);
    await audit(trx, actor, now, "request.sorted", panelId, detail);
    return "closed";
  });
}

/** The requester's own request with its questions; anyone else gets 404, as for a request they cannot see. */
async function ownRequest(db: Database, actor: Actor, requestId: number) {
  const request = await findRequestById(db, requestId);
  if (!request || request.submitted_by_user_id !== actor.user.id || !request.case_id) throw notFound();
  return request;
}

/** The chair's questions on one of the person's requests, read for answering (audited as a read of the case). */
export async function viewQuestions(deps: Deps, actor: Actor, requestId: number) {
  const request = await ownRequest(deps.db, actor, requestId);
  const questions = await listQuestions(deps.db, [request.id]);
  if (!questions.length) throw notFound();
  const reference = await referenceOf(deps.db, request.case_id!);
  await recordRead(deps, actor, { action: "request.question_viewed", recordType: "request", recordId: request.id, cases: [reference] });
  return { request, reference, questions, open: questions.find((q) => !q.answered_at) ?? null };
}

/**
 * The requester answers: the answer is kept with the question, the request goes
 * on the next panel whose cut-off allows, and the chair who asked is told.
 */
export async function answerChairsQuestion(deps: Deps, actor: Actor, requestId: number, input: z.output<typeof answerQuestionSchema>) {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const request = await ownRequest(trx, actor, requestId);
    const question = await lockOpenQuestion(trx, request.id);
    if (!question) throw new FormError({ answer: "This question has already been answered" });
    await answerQuestion(trx, question.id, { answer: input.answer, by: actor.user.id, at: now });
    const reference = await referenceOf(trx, request.case_id!);
    const panel = request.area_id
      ? await placeRequest(trx, deps, { id: request.id, caseId: request.case_id!, areaId: request.area_id, submittedAt: now })
      : null;
    const asker = await findUserById(trx, question.asked_by_user_id);
    if (asker?.active) {
      const asked = await findPanel(trx, question.panel_id);
      await enqueueEmail(
        trx,
        {
          ...questionAnsweredEmail({
            reference,
            listedFor: panel?.meeting_date ?? null,
            url: `${appUrlOf(deps)}/panels/${panel?.id ?? asked?.id ?? question.panel_id}`,
          }),
          key: `question_answered:${question.id}`,
          kind: "request_question_answered",
          to: asker.email,
        },
        now,
      );
    }
    await audit(trx, actor, now, "request.information_given", reference, { cases: [reference], request: request.id });
    return { reference, panel };
  });
}

async function referenceOf(db: Database, caseId: number) {
  const reference = await findCaseReferenceById(db, caseId);
  if (!reference) throw notFound();
  return reference;
}
