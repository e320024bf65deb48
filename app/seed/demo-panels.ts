import { DateTime } from "luxon";
import type { Database } from "../../db/connect";
import type { CurrentUser, Deps } from "../lib/context";
import { fixedClock } from "../lib/clock";
import { ZONE } from "../lib/dates";
import { validate } from "../lib/validation";
import { itemDecisionSchema, actionSchema, agendaItemSchema, extraordinarySchema } from "../forms/panel";
import { editAgendaItem } from "../services/agenda.server";
import { raiseChallengeSchema } from "../forms/challenge";
import { callExtraordinaryPanel, requestExtraordinaryPanel } from "../services/extraordinary.server";
import { escalateChallenge, raiseChallenge } from "../services/challenges.server";
import { actOnCase } from "../services/cases.server";
import { generatePanels } from "../services/panel-generation.server";
import { addAction, concludePanel, decideItem, recordAttendance, startMeeting } from "../services/meeting.server";
import { publishMinutes } from "../services/minutes.server";
import { moveThroughAgenda } from "../services/live-panel.server";
import { DEFAULT_SCHEDULE } from "../lib/panel-schedule";
import { loadDemoUser } from "./demo";
import { findSchedule, upsertSchedule } from "../../db/queries/schedules";
import { listAgendaItems, listMovableRequests } from "../../db/queries/agenda";
import { listAttendees } from "../../db/queries/attendance";
import type { DecisionOutcome } from "../../machines/case-journey/case-journey.machine";
import { nextWorkingDay } from "../lib/working-days";

export const DEMO_SETTINGS = { appUrl: process.env.APP_URL ?? "http://localhost:3000" };

/**
 * Panel schedules for the demo areas (every second Wednesday), with panels
 * generated from seven weeks ago so there are past panels to show.
 */
export async function seedDemoSchedules(db: Database, now: Date) {
  const areas = await db.selectFrom("areas").select(["id", "name"]).execute();
  const users = await db.selectFrom("users").select(["id", "email"]).execute();
  const agencies = await db.selectFrom("agencies").select(["id", "kind"]).execute();
  const userId = (email: string) => users.find((u) => u.email === email)?.id ?? null;
  // Social care and early help sit on every panel; health and schools are invited for the items they know.
  const agencyIds = agencies.filter((a) => ["childrens_social_care", "early_help"].includes(a.kind)).map((a) => a.id);
  const past = DateTime.fromJSDate(now).setZone(ZONE).minus({ weeks: 7 });
  // The Wednesday on or before seven weeks ago anchors the fortnightly series.
  const anchor = past.minus({ days: (past.weekday - 3 + 7) % 7 }).toISODate()!;
  const setups: Record<string, { chair: string; core: string[]; venue: string; link: string }> = {
    Crewe: {
      chair: "chair.crewe@example.org",
      core: ["earlyhelp.manager@example.org", "volunteer@example.org"],
      venue: "Delamere House, Crewe, room 2",
      link: "https://meet.example.org/crewe-panel",
    },
    Macclesfield: {
      chair: "chair.macclesfield@example.org",
      core: ["earlyhelp@example.org"],
      venue: "Town Hall, Macclesfield, committee room",
      link: "https://meet.example.org/macclesfield-panel",
    },
  };
  for (const area of areas) {
    const setup = setups[area.name];
    if (!setup || (await findSchedule(db, area.id))) continue;
    await upsertSchedule(
      db,
      {
        area_id: area.id,
        anchor_date: anchor,
        weekday: DEFAULT_SCHEDULE.weekday,
        interval_weeks: DEFAULT_SCHEDULE.intervalWeeks,
        start_time: DEFAULT_SCHEDULE.startTime,
        end_time: DEFAULT_SCHEDULE.endTime,
        cutoff_days_before: DEFAULT_SCHEDULE.cutoffDaysBefore,
        cutoff_time: DEFAULT_SCHEDULE.cutoffTime,
        chair_user_id: userId(setup.chair),
        core_user_ids: setup.core.map(userId).filter((id): id is number => id !== null),
        core_agency_ids: agencyIds,
        venue: setup.venue,
        meeting_link: setup.link,
        updated_at: now,
      },
      null,
    );
    const schedule = (await findSchedule(db, area.id))!;
    const then = fixedClock(past.toJSDate());
    await db.transaction().execute((trx) => generatePanels(trx, { db, clock: then, settings: DEMO_SETTINGS }, schedule, then.now()));
    await db.transaction().execute((trx) => generatePanels(trx, { db, clock: fixedClock(now), settings: DEMO_SETTINGS }, schedule, now));
  }
}

const STEP_DOWN = ["step_down_agreed_early_help", "step_down_agreed_volunteer_support"];

/** In Crewe the health partner is invited for each step up (her slot only), as a chair would. */
export async function inviteHealthForStepUps(
  deps: Deps,
  actor: { user: CurrentUser; ip: null },
  panelId: number,
  items: Array<{ id: number; kind: string; slot_minutes: number }>,
) {
  const hana = await deps.db
    .selectFrom("users")
    .select(["id", "area_id"])
    .where("email", "=", "partner.health@example.org")
    .executeTakeFirst();
  if (!hana || hana.area_id !== actor.user.areaId) return;
  for (const item of items.filter((i) => i.kind === "step_up")) {
    const panel = await deps.db.selectFrom("panels").select("version").where("id", "=", panelId).executeTakeFirstOrThrow();
    const form = validate(agendaItemSchema, {
      version: String(panel.version),
      slotMinutes: String(item.slot_minutes),
      userIds: [String(hana.id)],
    });
    if (form.ok) await editAgendaItem(deps, actor, panelId, item.id, form.data);
  }
}

/**
 * Runs every past panel that has requests on it as a chair would: start,
 * attendance, a decision and an action per item, conclude, publish.
 */
export async function runDemoPastPanels(
  db: Database,
  now: Date,
  planned: Map<number, { then: DecisionOutcome; close: boolean; submitter: CurrentUser }>,
  chairs: Record<string, CurrentUser>,
) {
  const panels = await db
    .selectFrom("panels")
    .innerJoin("areas", "areas.id", "panels.area_id")
    .select(["panels.id", "panels.starts_at", "panels.meeting_date", "areas.name as area_name"])
    .where("panels.starts_at", "<", now)
    .where("panels.status", "<>", "cancelled")
    .orderBy("panels.starts_at")
    .execute();
  const toClose: Array<{ reference: string; chair: CurrentUser }> = [];
  for (const p of panels) {
    const items = await listAgendaItems(db, p.id, ["listed"]);
    const chair = chairs[p.area_name];
    if (!items.length || !chair) continue;
    const clock = fixedClock(new Date(new Date(p.starts_at).getTime() + 60_000));
    const deps = { db, clock, settings: DEMO_SETTINGS };
    const actor = { user: chair, ip: null };
    const version = async () => (await db.selectFrom("panels").select("version").where("id", "=", p.id).executeTakeFirstOrThrow()).version;
    await inviteHealthForStepUps(deps, actor, p.id, items);
    await startMeeting(deps, actor, p.id, { version: await version() });
    const attendees = await listAttendees(db, [p.id]);
    await recordAttendance(
      deps,
      actor,
      p.id,
      await version(),
      attendees.map((a, i) => ({
        attendeeId: a.id,
        attendance: i === attendees.length - 1 && i > 1 ? "apologies" : i % 2 ? "online" : "in_person",
      })),
    );
    const today = DateTime.fromJSDate(clock.now()).setZone(ZONE);
    // A transfer meeting is held on a working day.
    const transfer = DateTime.fromISO(nextWorkingDay(today.plus({ days: 7 }).toISODate()!));
    const due = today.plus({ days: 10 });
    for (const [index, item] of items.entries()) {
      // The chair moves through the agenda live, so each item's real minutes are kept (some overrun their slot).
      await moveThroughAgenda(deps, actor, p.id, { move: "next" });
      clock.advance((8 + ((index * 7) % 17)) * 60_000);
      const plan = planned.get(item.request_id);
      const outcome: DecisionOutcome = plan?.then ?? (item.kind === "step_up" ? "step_up_agreed" : "step_down_agreed_early_help");
      planned.delete(item.request_id);
      const caseVersion = (await db.selectFrom("cases").select("version").where("id", "=", item.case_id).executeTakeFirstOrThrow()).version;
      const stepDown = STEP_DOWN.includes(outcome);
      const parsed = validate(itemDecisionSchema(today.toISODate()!), {
        itemId: String(item.id),
        caseVersion: String(caseVersion),
        discussion: "Partners shared updates; the family's views were read out.",
        outcome,
        reasons: stepDown ? "Risks reduced; the family's plan can be held by early help." : "Discussed at panel; partners agreed.",
        // The chair holds the risk of a step-up; the early help family support worker leads a step-down.
        riskHolder: String(chair.id),
        ...(stepDown
          ? {
              leadPractitioner: "other",
              leadPractitionerName: "Pat Lead",
              leadPractitionerRole: "family support worker",
              leadPractitionerAgency: "Early Help, locality hub",
            }
          : {}),
        ...(stepDown
          ? { transferDay: String(transfer.day), transferMonth: String(transfer.month), transferYear: String(transfer.year) }
          : {}),
      });
      if (!parsed.ok) throw new Error(`demo decision invalid: ${JSON.stringify(parsed.errors)}`);
      await decideItem(deps, actor, p.id, parsed.data);
      if (outcome !== "deferred" && outcome !== "not_agreed") {
        const action = validate(actionSchema(today.toISODate()!), {
          itemId: String(item.id),
          description: stepDown
            ? "Arrange the transfer meeting with the family and the new lead"
            : "Allocate a social worker and start the assessment",
          owner: String(plan?.submitter.id ?? chair.id),
          dueDay: String(due.day),
          dueMonth: String(due.month),
          dueYear: String(due.year),
        });
        if (!action.ok) throw new Error(`demo action invalid: ${JSON.stringify(action.errors)}`);
        await addAction(deps, actor, p.id, action.data);
      }
      if (plan?.close) toClose.push({ reference: item.reference, chair });
    }
    await moveThroughAgenda(deps, actor, p.id, { move: "next" });
    await concludePanel(deps, actor, p.id, { version: await version() });
    clock.advance(2 * 3600_000);
    await publishMinutes(deps, actor, p.id, { version: await version() });
  }
  for (const { reference, chair } of toClose) {
    const deps = { db, clock: fixedClock(new Date(now.getTime() - 24 * 3600_000)) };
    const v = (await db.selectFrom("cases").select("version").where("reference", "=", reference).executeTakeFirstOrThrow()).version;
    await actOnCase(deps, { user: chair, ip: null }, reference, {
      action: "close",
      version: v,
      reason: "Early help plan complete; needs met",
    });
  }
}

/**
 * The rest of the story the demo tells: an extraordinary panel called for
 * Macclesfield's step-downs, a team manager's request for one in Crewe, and a
 * professional challenge from health on Crewe's latest decision, at stage 2.
 */
export async function seedDemoEscalation(db: Database, now: Date, chairs: Record<string, CurrentUser>) {
  const deps = { db, clock: fixedClock(now), settings: DEMO_SETTINGS };
  const manager = await loadDemoUser(db, "service.manager@example.org");
  const hana = await loadDemoUser(db, "partner.health@example.org");
  const areas = await db.selectFrom("areas").select(["id", "name"]).execute();
  const macclesfield = areas.find((a) => a.name === "Macclesfield");
  const crewe = areas.find((a) => a.name === "Crewe");
  const inTwoDays = DateTime.fromJSDate(now).setZone(ZONE).plus({ days: 2 });
  const meeting = inTwoDays.weekday > 5 ? inTwoDays.plus({ days: 8 - inTwoDays.weekday }) : inTwoDays;
  const today = DateTime.fromJSDate(now).setZone(ZONE).toISODate()!;
  if (macclesfield) {
    const stepDowns = (await listMovableRequests(db, macclesfield.id, 0)).filter((r) => r.kind === "step_down").slice(0, 2);
    const form = validate(extraordinarySchema(today), {
      areaId: String(macclesfield.id),
      meetingDay: String(meeting.day),
      meetingMonth: String(meeting.month),
      meetingYear: String(meeting.year),
      startTime: "14:00",
      endTime: "15:00",
      reason: "Step-down requests are waiting longer than a fortnight",
      requestIds: stepDowns.map((r) => String(r.id)),
    });
    if (form.ok) await callExtraordinaryPanel(deps, { user: manager, ip: null }, form.data);
  }
  if (crewe && chairs.Crewe) {
    const form = validate(extraordinarySchema(today), {
      areaId: String(crewe.id),
      meetingDay: String(meeting.day),
      meetingMonth: String(meeting.month),
      meetingYear: String(meeting.year),
      startTime: "15:30",
      endTime: "16:30",
      reason: "Three step-downs from the children's home review",
    });
    if (form.ok) await requestExtraordinaryPanel(deps, { user: chairs.Crewe, ip: null }, form.data);
    // Health challenges the latest Crewe step-up it took part in.
    const decision = await db
      .selectFrom("decisions")
      .innerJoin("cases", "cases.id", "decisions.case_id")
      .innerJoin("panel_attendees", (join) =>
        join.onRef("panel_attendees.panel_id", "=", "decisions.panel_id").on("panel_attendees.user_id", "=", hana.id),
      )
      .select(["decisions.id", "cases.reference"])
      .where("cases.area_id", "=", crewe.id)
      .where("decisions.outcome", "=", "step_up_agreed")
      .orderBy("decisions.decided_at", "desc")
      .executeTakeFirst();
    if (decision) {
      const raised = validate(raiseChallengeSchema, {
        decisionId: String(decision.id),
        disagreement: "Community health disagrees that the threshold for social care is met",
        category: "threshold",
        reason: "Health visiting shows steady progress under the early help plan.",
        riskHolder: `${chairs.Crewe.name}, team manager`,
      });
      if (raised.ok) {
        try {
          const id = await raiseChallenge(deps, { user: hana, ip: null }, decision.reference, raised.data);
          const row = await db.selectFrom("challenges").select("version").where("id", "=", id).executeTakeFirstOrThrow();
          await escalateChallenge(deps, { user: chairs.Crewe, ip: null }, id, {
            version: row.version,
            reason: "No agreement between practitioners",
          });
        } catch {
          // The latest decision may be outside the 10-working-day window: the demo goes without a challenge.
        }
      }
    }
  }
}
