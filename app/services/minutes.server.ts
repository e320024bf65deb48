import { insertAuditEvent } from "../../db/queries/audit";
import { findAreaById } from "../../db/queries/organisation";
import { listAgendaItems } from "../../db/queries/agenda";
import { listAttendees } from "../../db/queries/attendance";
import { minutesPublishedEmail } from "../../emails/minutes-published";
import { enqueueEmail } from "../../emails/outbox";
import { appUrlOf, type Actor, type Deps } from "../lib/context";
import { FormError } from "../lib/errors";
import { notFound } from "./authorise.server";
import { drivePanel } from "./panel-lifecycle.server";
import { isRefused } from "./machine-driver.server";
import { audit, chairPanel, invitedFor, invitedToWhole, mayChair, seesWholePanel, visiblePanel } from "./panel-access.server";
import type { Minutes } from "./meeting.server";

export async function viewMinutes(deps: Deps, actor: Actor, panelId: number) {
  const panel = await visiblePanel(deps, actor, panelId);
  if (!panel.minutes) throw notFound();
  if (panel.status !== "minutes_published" && !mayChair(actor, panel)) throw notFound();
  const minutes = await minutesFor(deps, actor, panelId, panel.minutes as Minutes);
  await insertAuditEvent(deps.db, {
    at: deps.clock.now(),
    actorUserId: actor.user.id,
    action: "panel.minutes_viewed",
    recordType: "panel",
    recordId: panelId,
    ip: actor.ip,
    detail: { cases: minutes.items.map((i) => i.reference) },
  });
  return { panel, minutes, mayPublish: mayChair(actor, panel) && panel.status === "concluded" };
}

/** The minutes as one person may read them: everything, or only the items they were invited to discuss. */
async function minutesFor(deps: Deps, actor: Actor, panelId: number, minutes: Minutes): Promise<Minutes & { partial: boolean }> {
  const [items, attendees] = await Promise.all([listAgendaItems(deps.db, panelId, ["decided"]), listAttendees(deps.db, [panelId])]);
  if (seesWholePanel(actor, attendees)) return { ...minutes, partial: false };
  const mine = new Set(items.filter((i) => invitedFor(actor, i)).map((i) => i.reference));
  return { ...minutes, items: minutes.items.filter((i) => mine.has(i.reference)), partial: true };
}

export async function publishMinutes(deps: Deps, actor: Actor, panelId: number, input: { version: number }) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    await drivePanel(trx, panel, { type: "PUBLISH_MINUTES", at: now.toISOString() }, { actorUserId: actor.user.id }).catch(
      (error: unknown) => {
        throw isRefused(error) ? new FormError({ form: "Only a concluded panel's minutes can be published" }) : error;
      },
    );
    const area = (await findAreaById(trx, panel.area_id))!;
    const [attendees, decided] = await Promise.all([listAttendees(trx, [panelId]), listAgendaItems(trx, panelId, ["decided"])]);
    // Someone invited for an item hears of its part only while that invitation stands.
    const itemInvitees = new Set(decided.flatMap((i) => i.invite_sent_user_ids));
    const told = attendees.filter(
      (a): a is typeof a & { email: string; user_id: number } =>
        a.active && a.email !== null && a.user_id !== null && (invitedToWhole(a) || (a.role === "item" && itemInvitees.has(a.user_id))),
    );
    for (const person of told) {
      const email = minutesPublishedEmail({
        areaName: area.name,
        meetingDate: panel.meeting_date,
        minutesUrl: `${appUrlOf(deps)}/panels/${panelId}/minutes`,
        part: invitedToWhole(person) ? "whole" : "item",
      });
      await enqueueEmail(
        trx,
        { ...email, key: `minutes:${panelId}:to:${person.user_id}`, kind: "minutes_published", to: person.email },
        now,
      );
    }
    await audit(trx, actor, now, "panel.minutes_published", panelId, {});
  });
}
