import { listAttendees } from "../../db/queries/attendance";
import { findPreviousMinutes, recordMinutesApproval } from "../../db/queries/panels";
import type { Database } from "../../db/connect";
import type { Actor, Deps } from "../lib/context";
import { formatDate } from "../lib/dates";
import { FormError } from "../lib/errors";
import { audit, chairPanel, touchPanel } from "./panel-access.server";

/**
 * Approving the last panel's minutes: the first business of the area's next
 * panel. The core members present approve the published minutes, with any
 * amendments recorded; after that the minutes stand approved, and only a
 * service manager's correction (with its reason) changes a decision in them.
 */
export async function minutesAwaitingApproval(db: Database, panel: { area_id: number; starts_at: Date | string }) {
  const previous = await findPreviousMinutes(db, panel.area_id, new Date(panel.starts_at));
  return previous && !previous.minutes_approval ? previous : null;
}

export async function approveLastMinutes(
  deps: Deps,
  actor: Actor,
  panelId: number,
  input: { version: number; minutesPanelId: number; amendments?: string },
) {
  const now = deps.clock.now();
  return chairPanel(deps, actor, panelId, input.version, async (trx, panel) => {
    if (panel.status !== "in_session") throw new FormError({ form: "Start the meeting before approving the last panel's minutes" });
    const previous = await minutesAwaitingApproval(trx, panel);
    if (!previous || previous.id !== input.minutesPanelId) {
      throw new FormError({ form: "These are not the last panel's minutes waiting for approval: they may have been approved already" });
    }
    if (previous.status !== "minutes_published") {
      throw new FormError({
        amendments: `The minutes of the panel on ${formatDate(previous.meeting_date)} are not published yet: publish them so the core members have read them first`,
      });
    }
    const present = (await listAttendees(trx, [panelId])).filter(
      (a) => (a.role === "core" || a.role === "chair") && (a.attendance === "in_person" || a.attendance === "online"),
    );
    if (!present.length) throw new FormError({ form: "Record which core members are present: they approve the minutes" });
    await recordMinutesApproval(trx, previous.id, {
      at: now.toISOString(),
      atPanelId: panelId,
      atMeetingDate: panel.meeting_date,
      approvers: present.map((a) => `${a.name}, ${a.agency_name}`),
      amendments: input.amendments ?? null,
    });
    await touchPanel(trx, panel, now);
    await audit(trx, actor, now, "panel.minutes_approved", previous.id, { atPanel: panelId, amendments: Boolean(input.amendments) });
  });
}
