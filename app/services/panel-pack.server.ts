import type { Database } from "../../db/connect";
import { listAttendees } from "../../db/queries/attendance";
import { listInformationReturns, listPackReads, markPackRead, upsertInformationReturn } from "../../db/queries/pack";
import { listRequestAnswers } from "../../db/queries/requests";
import type { Actor, Deps } from "../lib/context";
import { FormError } from "../lib/errors";
import { agendaFor } from "./agenda.server";
import { recordRead } from "./audit-trail.server";
import { notFound } from "./authorise.server";
import { audit, EDITABLE, invitedToWhole } from "./panel-access.server";

/** Panels whose pack can still be added to: partners write information returns until the meeting ends. */
const RETURNS_OPEN = EDITABLE;

/**
 * The panel's pack as one person may read it: the agenda with its times and
 * each request as its requester wrote it, with the information returns
 * partners have added. The chair and core members see every item; someone
 * invited for an item sees that item only. It exists once the agenda is sent
 * (the chair sees it before, to check it). Audited as a read of its cases.
 */
export async function viewPack(deps: Deps, actor: Actor, panelId: number) {
  const { agenda, panel, ready, returnsOpen, items } = await packFor(deps, actor, panelId);
  const [answers, returns, reads, attendees] = await Promise.all([
    listRequestAnswers(
      deps.db,
      items.map((i) => i.request_id),
    ),
    listInformationReturns(deps.db, panelId),
    listPackReads(deps.db, panelId),
    listAttendees(deps.db, [panelId]),
  ]);
  const answersOf = new Map(answers.map((a) => [a.id, a.answers]));
  const readAt = new Map(reads.map((r) => [r.user_id, new Date(r.read_at)]));
  await recordRead(deps, actor, {
    action: "panel.pack_viewed",
    recordType: "panel",
    recordId: panelId,
    cases: items.map((i) => i.reference),
  });
  return {
    panel,
    ready,
    mayChair: agenda.mayChair,
    wholePanel: agenda.wholePanel,
    returnsOpen,
    readAt: readAt.get(actor.user.id) ?? null,
    items: items.map((item) => ({
      ...item,
      answers: answersOf.get(item.request_id) ?? {},
      returns: returns
        .filter((r) => r.agenda_item_id === item.id)
        .map((r) => ({ userId: r.user_id, name: r.name, agency: r.agency_name, body: r.body, writtenAt: new Date(r.written_at) })),
    })),
    // Who has read it: for the chair, everyone invited (the whole meeting, then those invited for an item).
    readers: agenda.mayChair ? packReaders(attendees, readAt) : [],
  };
}

/**
 * What of the pack the person may reach, without reading it: whether it is
 * ready, open for returns, and its items. The writes below check with this,
 * so marking it read is not also recorded as reading it.
 */
async function packFor(deps: Deps, actor: Actor, panelId: number) {
  const agenda = await agendaFor(deps, actor, panelId);
  const { panel } = agenda;
  if (!agenda.wholePanel && !agenda.items.length) throw notFound();
  const ready = panel.agenda_sent_at !== null;
  return {
    agenda,
    panel,
    ready,
    returnsOpen: ready && RETURNS_OPEN.includes(panel.status),
    items: ready || agenda.mayChair ? agenda.items : [],
  };
}

/** Everyone invited with an account, and when each marked the pack read. */
function packReaders(attendees: Awaited<ReturnType<typeof listAttendees>>, readAt: Map<number, Date>) {
  const seen = new Set<number>();
  return attendees
    .filter((a): a is typeof a & { user_id: number } => a.user_id !== null && a.active && a.role !== "present")
    .filter((a) => !seen.has(a.user_id) && seen.add(a.user_id))
    .sort((a, b) => Number(invitedToWhole(b)) - Number(invitedToWhole(a)))
    .map((a) => ({
      userId: a.user_id,
      name: a.name,
      agency: a.agency_name,
      whole: invitedToWhole(a),
      readAt: readAt.get(a.user_id) ?? null,
    }));
}

/** Who has read the pack, for the chair's pages: counts and names of those who have not. */
export async function packReadingFor(db: Database, panelId: number) {
  const [attendees, reads] = await Promise.all([listAttendees(db, [panelId]), listPackReads(db, panelId)]);
  return packReaders(attendees, new Map(reads.map((r) => [r.user_id, new Date(r.read_at)])));
}

/** "The pack has been read by 3 of 5 invited; not yet by …" */
export function packReadSummary(readers: Array<{ name: string; readAt: Date | null }>) {
  if (!readers.length) return null;
  const unread = readers.filter((r) => !r.readAt).map((r) => r.name);
  const read = readers.length - unread.length;
  return unread.length
    ? `The pack has been read by ${read} of the ${readers.length} people invited; not yet by ${unread.join(", ")}.`
    : `Everyone invited (${readers.length}) has read the pack.`;
}

/** The person marks the pack read: the chair sees it at the start of the meeting. */
export async function markRead(deps: Deps, actor: Actor, panelId: number) {
  const pack = await packFor(deps, actor, panelId);
  if (!pack.ready) throw new FormError({ form: "The pack is ready once the agenda is sent" });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await markPackRead(trx, { panelId, userId: actor.user.id, at: now });
    await audit(trx, actor, now, "panel.pack_read", panelId, {});
  });
}

/**
 * A partner adds what their agency knows about an item they may see (writing
 * it again replaces it), until the meeting ends. The chair and everyone who
 * sees the item read it in the pack.
 */
export async function addInformationReturn(deps: Deps, actor: Actor, panelId: number, input: { itemId: number; body: string }) {
  const pack = await packFor(deps, actor, panelId);
  if (!pack.returnsOpen) throw new FormError({ form: "Information can be added once the agenda is sent and until the meeting ends" });
  const item = pack.items.find((i) => i.id === input.itemId && i.status === "listed");
  if (!item) throw new FormError({ itemId: "Choose an item still to be discussed" });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await upsertInformationReturn(trx, {
      panelId,
      itemId: item.id,
      userId: actor.user.id,
      agencyId: actor.user.agencyId,
      body: input.body,
      at: now,
    });
    await audit(trx, actor, now, "panel.information_returned", panelId, { cases: [item.reference], item: item.id });
  });
  return item;
}
