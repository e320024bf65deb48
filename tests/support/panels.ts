import type { Database } from "../../db/connect";
import type { Deps, CurrentUser } from "../../app/lib/context";
import { validate } from "../../app/lib/validation";
import { actionSchema, itemDecisionSchema, scheduleSchema } from "../../app/forms/panel";
import { saveSchedule } from "../../app/services/panel-schedules.server";
import { decideItem, startMeeting } from "../../app/services/meeting.server";
import { actorFor, createAgency, createArea, createUser } from "./factories";
import { submitCompleteRequest } from "./requests";

/** A schedule form as an administrator would fill it: fortnightly Wednesdays from 25 November 2026. */
export function scheduleForm(over: Record<string, string | string[]> = {}) {
  return {
    weekday: "WE",
    intervalWeeks: "2",
    firstDay: "25",
    firstMonth: "11",
    firstYear: "2026",
    startTime: "10:00",
    endTime: "12:00",
    cutoffDaysBefore: "7",
    cutoffTime: "16:00",
    venue: "Delamere House, room 2",
    meetingLink: "https://meet.example.org/crewe",
    ...over,
  };
}

export function parsed<T>(result: { ok: true; data: T } | { ok: false; errors: Record<string, string> }): T {
  if (!result.ok) throw new Error(`form invalid: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** One area with a chair, core members from social care, early help and health, a referrer and a schedule. */
export async function panelArea(db: Database, deps: Deps, today = "2026-11-23") {
  const area = await createArea(db, `Crewe ${Math.random().toString(36).slice(2, 7)}`);
  const csc = await createAgency(db, "childrens_social_care");
  const earlyHelp = await createAgency(db, "early_help");
  const health = await createAgency(db, "health");
  const chair = await createUser(db, { role: "team_manager", areaId: area.id, agencyId: csc.id, name: "Chris Chair" });
  const deputy = await createUser(db, { role: "team_manager", areaId: area.id, agencyId: csc.id, name: "Dee Deputy" });
  const serviceManager = await createUser(db, { role: "service_manager", areaId: null, agencyId: csc.id, name: "Sam Service" });
  const headOfService = await createUser(db, { role: "head_of_service", areaId: null, agencyId: csc.id, name: "Hazel Head" });
  const admin = await createUser(db, { role: "admin", agencyId: csc.id });
  const nurse = await createUser(db, { role: "partner", areaId: area.id, agencyId: health.id, name: "Nina Nurse" });
  const ehWorker = await createUser(db, { role: "professional", areaId: area.id, agencyId: earlyHelp.id, name: "Ed Early" });
  const referrer = await createUser(db, { role: "professional", areaId: area.id, name: "Rita Referrer" });
  await saveSchedule(
    deps,
    actorFor(admin),
    area.id,
    parsed(validate(scheduleSchema(today), scheduleForm({ chairUserId: String(chair.id), coreUserIds: [String(ehWorker.id)] }))),
  );
  return { area, csc, earlyHelp, health, chair, deputy, serviceManager, headOfService, admin, nurse, ehWorker, referrer };
}

/**
 * A named contact's fields for a chosen-person field, from "Name, role, Agency"
 * (role and agency filled in when left out). A user id or "other" passes as it is.
 */
export function namedContact(field: string, value: string | undefined): Record<string, string> {
  if (value === undefined || value === "" || value === "other" || /^\d+$/.test(value)) return value === undefined ? {} : { [field]: value };
  const [name, role = "team manager", agency = "Children's Social Care"] = value.split(",").map((s) => s.trim());
  return { [field]: "other", [`${field}Name`]: name, [`${field}Role`]: role, [`${field}Agency`]: agency };
}

export function decisionForm(today: string, itemId: number, caseVersion: number, over: Record<string, string> = {}) {
  const { riskHolder = "Chris Chair, team manager", leadPractitioner, ...rest } = over;
  return parsed(
    validate(itemDecisionSchema(today), {
      itemId: String(itemId),
      caseVersion: String(caseVersion),
      outcome: "step_up_agreed",
      reasons: "Neglect concerns meet the threshold for a social work assessment",
      ...namedContact("riskHolder", riskHolder),
      ...namedContact("leadPractitioner", leadPractitioner),
      ...rest,
    }),
  );
}

export function actionForm(today: string, itemId: number, owner: CurrentUser | "new", due: string, over: Record<string, string> = {}) {
  const [year, month, day] = due.split("-");
  return parsed(
    validate(actionSchema(today), {
      itemId: String(itemId),
      description: "Allocate a social worker and start the assessment",
      owner: owner === "new" ? "new" : String(owner.id),
      dueDay: day,
      dueMonth: month,
      dueYear: year,
      ...over,
    }),
  );
}

/**
 * A request sent today to the area's second panel, which the chair starts at
 * `startAt` and decides with these form values (the item and case version
 * filled in). For the hand-over's clocks, which run from the decision.
 */
export async function decideAtSecondPanel(
  deps: Deps & { clock: { set(at: string): void } },
  p: { area: { id: number }; chair: CurrentUser; referrer: CurrentUser },
  kind: "step_up" | "step_down",
  startAt: string,
  values: Record<string, string>,
) {
  const db = deps.db;
  const panel = (await db.selectFrom("panels").selectAll().where("area_id", "=", p.area.id).orderBy("starts_at").execute())[1]!;
  const request = await submitCompleteRequest(deps, p.referrer, kind, p.area.id);
  deps.clock.set(startAt);
  const version = (await db.selectFrom("panels").select("version").where("id", "=", panel.id).executeTakeFirstOrThrow()).version;
  await startMeeting(deps, actorFor(p.chair), panel.id, { version });
  const item = await db.selectFrom("agenda_items").selectAll().where("request_id", "=", request.requestId).executeTakeFirstOrThrow();
  const cv = (await db.selectFrom("cases").select("version").where("id", "=", item.case_id).executeTakeFirstOrThrow()).version;
  await decideItem(
    deps,
    actorFor(p.chair),
    panel.id,
    parsed(validate(itemDecisionSchema(startAt.slice(0, 10)), { itemId: String(item.id), caseVersion: String(cv), ...values })),
  );
  return { ...request, panelId: panel.id };
}
