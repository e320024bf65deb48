import { DateTime } from "luxon";
import type { Database } from "../../db/connect";
import { insertCase, insertDecision, insertTransition, nextCaseReference } from "../../db/queries/cases";
import { supersedeDecision } from "../../db/queries/decisions";
import type { PanelKind, PanelStatus, Attendance } from "../../db/schema";
import {
  CASE_JOURNEY_VERSION,
  type CaseJourneyEvent,
  type DecisionOutcome,
  type ServiceState,
} from "../../machines/case-journey/case-journey.machine";
import { applyJourneyEvent, startJourney, type PersistedJourney } from "../../machines/case-journey/journey";
import { ZONE } from "../lib/dates";

/**
 * Past panels and case journeys written straight to the tables, for the
 * demo's history and for tests whose right answer is known. Each journey is
 * driven through the case journey machine, so its states and snapshot are
 * ones the app itself could have written; no names or dates of birth.
 */

export interface PastPanel {
  areaId: number;
  kind: PanelKind;
  startsAt: Date;
  status: PanelStatus;
  chairUserId: number | null;
  attendees?: Array<{ userId: number; role: "chair" | "core" | "item" | "present"; attendance: Attendance | null }>;
}

export async function writePastPanel(db: Database, panel: PastPanel): Promise<number> {
  const starts = DateTime.fromJSDate(panel.startsAt).setZone(ZONE);
  const row = await db
    .insertInto("panels")
    .values({
      area_id: panel.areaId,
      kind: panel.kind,
      status: panel.status,
      lifecycle: JSON.stringify({
        cancelledReason: panel.status === "cancelled" ? "Chair unavailable" : null,
        concludedAt: ["concluded", "minutes_published"].includes(panel.status) ? starts.plus({ hours: 2 }).toISO() : null,
        publishedAt: panel.status === "minutes_published" ? starts.plus({ days: 2 }).toISO() : null,
      }),
      meeting_date: starts.toISODate()!,
      moved_from: null,
      starts_at: panel.startsAt,
      ends_at: starts.plus({ hours: 2 }).toJSDate(),
      cutoff_at: starts.minus({ days: 7 }).toJSDate(),
      chair_user_id: panel.chairUserId,
      venue: null,
      meeting_link: null,
      reason: panel.kind === "extraordinary" ? "Step-downs waiting" : null,
      called_by_user_id: null,
      cancelled_reason: panel.status === "cancelled" ? "Chair unavailable" : null,
      minutes: null,
      created_at: starts.minus({ weeks: 4 }).toJSDate(),
      updated_at: starts.plus({ days: 2 }).toJSDate(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const a of panel.attendees ?? []) {
    await db
      .insertInto("panel_attendees")
      .values({ panel_id: row.id, user_id: a.userId, role: a.role, attendance: a.attendance })
      .execute();
  }
  return row.id;
}

export type PastStep =
  | {
      request: "step_up" | "step_down";
      agencyId: number;
      submittedAt: Date;
      /** Each hearing in order; all but the last are normally deferrals. */
      decisions: Array<{ at: Date; outcome: DecisionOutcome; panelId: number | null; transferDate?: string }>;
      /** A correction after the panel, to a new outcome. */
      correction?: { at: Date; outcome: DecisionOutcome };
    }
  | { withdrawn: "step_up" | "step_down"; agencyId: number; submittedAt: Date; at: Date }
  | { close: Date };

export interface PastCase {
  areaId: number;
  startIn: ServiceState;
  createdAt: Date;
  byUserId: number;
  steps: PastStep[];
}

const SERVICE_AFTER: Partial<Record<DecisionOutcome, ServiceState>> = {
  step_up_agreed: "social_care",
  step_down_agreed_early_help: "early_help",
  step_down_agreed_volunteer_support: "volunteer_support",
};

/** Writes one case's journey; returns its id and reference. Throws if the machine refuses a step. */
export async function writePastCase(db: Database, past: PastCase) {
  let journey: PersistedJourney = startJourney(past.startIn);
  const reference = await nextCaseReference(db, DateTime.fromJSDate(past.createdAt).setZone(ZONE).year);
  const created = await insertCase(db, {
    reference,
    areaId: past.areaId,
    status: journey.value,
    journey,
    machineVersion: CASE_JOURNEY_VERSION,
    createdBy: past.byUserId,
    at: past.createdAt,
  });
  const caseId = created.id;
  await insertTransition(db, { caseId, at: past.createdAt, actorUserId: past.byUserId, event: "CREATED", from: null, to: journey.value });
  let lastAt = past.createdAt;
  const step = async (event: CaseJourneyEvent, at: Date, requestId: number | null) => {
    const result = applyJourneyEvent(journey, event);
    if (!result.ok) throw new Error(`history: ${event.type} refused in ${result.from}`);
    journey = result.journey;
    lastAt = at;
    await insertTransition(db, {
      caseId,
      at,
      actorUserId: past.byUserId,
      event: event.type,
      from: result.from,
      to: result.to,
      reason: null,
      ...(requestId ? { requestId } : {}),
    });
  };
  for (const s of past.steps) {
    if ("close" in s) {
      await step({ type: "CLOSE", at: s.close.toISOString(), reason: "Support no longer needed" }, s.close, null);
      continue;
    }
    const kind = "request" in s ? s.request : s.withdrawn;
    const request = await db
      .insertInto("requests")
      .values({
        case_id: caseId,
        kind,
        status: "withdrawn" in s ? "withdrawn" : s.decisions.some((d) => d.outcome !== "deferred") ? "decided" : "awaiting_panel",
        area_id: past.areaId,
        submitted_by_user_id: past.byUserId,
        agency_id: s.agencyId,
        answers: JSON.stringify({ history: true }),
        created_at: s.submittedAt,
        updated_at: s.submittedAt,
        submitted_at: s.submittedAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const at = s.submittedAt.toISOString();
    const last = "request" in s ? s.decisions.findLast((d) => d.outcome !== "deferred")?.outcome : undefined;
    await step(
      kind === "step_up"
        ? { type: "REQUEST_STEP_UP", at, immediateRisk: false }
        : {
            type: "REQUEST_STEP_DOWN",
            at,
            immediateRisk: false,
            target: last === "step_down_agreed_volunteer_support" ? "volunteer_support" : "early_help",
            familyConsent: true,
            outcomes: ["Needs met with early help support"],
            proposedLead: "Early help practitioner",
          },
      s.submittedAt,
      request.id,
    );
    if ("withdrawn" in s) {
      await step({ type: "WITHDRAW_REQUEST", at: s.at.toISOString() }, s.at, request.id);
      continue;
    }
    let settled: { id: number; outcome: DecisionOutcome } | null = null;
    for (const d of s.decisions) {
      if (d.outcome !== "deferred") await step({ type: "PANEL_DECISION", at: d.at.toISOString(), outcome: d.outcome }, d.at, request.id);
      const row = await insertDecision(db, {
        requestId: request.id,
        caseId,
        outcome: d.outcome,
        reasons: "Recorded at the panel",
        riskHolder: "Panel chair",
        by: past.byUserId,
        at: d.at,
        panelId: d.panelId,
        transferDate: d.transferDate ?? null,
      });
      if (d.outcome !== "deferred") settled = { id: row.id, outcome: d.outcome };
    }
    if (s.correction && settled) {
      const to = SERVICE_AFTER[s.correction.outcome] ?? (kind === "step_up" ? "early_help" : "social_care");
      const was = SERVICE_AFTER[settled.outcome] ?? (kind === "step_up" ? "early_help" : "social_care");
      if (to !== was) await step({ type: "DECISION_CHANGED", at: s.correction.at.toISOString(), to }, s.correction.at, request.id);
      const corrected = await insertDecision(db, {
        requestId: request.id,
        caseId,
        outcome: s.correction.outcome,
        reasons: "Corrected after the panel",
        riskHolder: "Panel chair",
        by: past.byUserId,
        at: s.correction.at,
        panelId: s.decisions.findLast((d) => d.outcome !== "deferred")?.panelId ?? null,
        correctsDecisionId: settled.id,
        correctionReason: "Recorded wrongly",
      });
      await supersedeDecision(db, settled.id, corrected.id);
    }
  }
  await db
    .updateTable("cases")
    .set({
      status: journey.value,
      journey: JSON.stringify(journey),
      updated_at: lastAt,
      last_stepped_down_at: journey.context.lastSteppedDownAt ? new Date(journey.context.lastSteppedDownAt) : null,
    })
    .where("id", "=", caseId)
    .execute();
  return { id: caseId, reference };
}
