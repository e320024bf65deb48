import type { Database } from "../../db/connect";
import { listAgendaItems } from "../../db/queries/agenda";
import { listAttendees } from "../../db/queries/attendance";
import { findAreaById } from "../../db/queries/organisation";
import { findPanel } from "../../db/queries/panels";
import { enqueueEmail } from "../../emails/outbox";
import { packReadyEmail } from "../../emails/pack-ready";
import { EDITABLE, invitedToWhole } from "./panel-access.server";

/**
 * Once the agenda is sent, everyone invited with an account is emailed a link
 * to their pack, once each (a partner invited later is told when they are).
 * In the transaction that sent the agenda or changed who is invited.
 */
export async function sendPackNotices(trx: Database, panelId: number, appUrl: string, at: Date) {
  const panel = await findPanel(trx, panelId);
  if (!panel?.agenda_sent_at || !EDITABLE.includes(panel.status)) return;
  const [attendees, items, area] = await Promise.all([
    listAttendees(trx, [panelId]),
    listAgendaItems(trx, panelId, ["listed"]),
    findAreaById(trx, panel.area_id),
  ]);
  const invitedForItem = new Set(items.flatMap((i) => i.invite_sent_user_ids));
  for (const person of attendees) {
    if (!person.user_id || !person.email || !person.active) continue;
    const whole = invitedToWhole(person);
    if (!whole && !(person.role === "item" && invitedForItem.has(person.user_id))) continue;
    await enqueueEmail(
      trx,
      {
        ...packReadyEmail({
          areaName: area?.name ?? "area",
          meetingDate: panel.meeting_date,
          packUrl: `${appUrl}/panels/${panelId}/pack`,
          part: whole ? "whole" : "item",
        }),
        key: `pack:${panelId}:to:${person.user_id}`,
        kind: "pack_ready",
        to: person.email,
      },
      at,
    );
  }
}
