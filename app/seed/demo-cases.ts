import { sendAgenda } from "../services/agenda.server";
import { DateTime } from "luxon";
import type { Database } from "../../db/connect";
import type { CurrentUser } from "../lib/context";
import { fixedClock } from "../lib/clock";
import { sendToFrontDoor } from "../services/front-door.server";
import { answerRiskQuestion, saveDraftPage, startDraft, submitRequest } from "../services/requests.server";
import type { DecisionOutcome } from "../../machines/case-journey/case-journey.machine";
import { DEMO_SETTINGS, inviteHealthForStepUps, runDemoPastPanels, seedDemoEscalation } from "./demo-panels";
import { listAgendaItems } from "../../db/queries/agenda";
import { loadDemoUser } from "./demo";

// Invented names for demonstration only.
const FIRST = [
  "Ava",
  "Noah",
  "Isla",
  "Leo",
  "Mia",
  "Oscar",
  "Ruby",
  "Jack",
  "Ella",
  "Harry",
  "Freya",
  "Alfie",
  "Lily",
  "Theo",
  "Grace",
  "Arlo",
  "Evie",
  "Finn",
];
const LAST = ["Hughes", "Patel", "Walsh", "Okafor", "Nowak", "Bennett", "Khan", "Murphy", "Clarke", "Evans", "Reid", "Shaw"];

type Plan = { kind: "step_up" | "step_down"; then?: DecisionOutcome; close?: boolean } | { kind: "front_door" };

const PLANS: Plan[] = [
  { kind: "step_up" },
  { kind: "step_up" },
  { kind: "step_up" },
  { kind: "step_down" },
  { kind: "step_down" },
  { kind: "step_down" },
  { kind: "step_up", then: "step_up_agreed" },
  { kind: "step_up", then: "step_up_agreed" },
  { kind: "step_up", then: "not_agreed" },
  { kind: "step_down", then: "step_down_agreed_early_help" },
  { kind: "step_down", then: "step_down_agreed_early_help" },
  { kind: "step_down", then: "step_down_agreed_volunteer_support" },
  { kind: "step_down", then: "not_agreed" },
  { kind: "step_up", then: "deferred" },
  { kind: "step_down", then: "step_down_agreed_early_help", close: true },
  { kind: "front_door" },
];

/**
 * Demo cases in every journey state across both areas, written through the same
 * services people use, so the data obeys the same rules.
 */
export async function seedDemoCases(db: Database, now: Date) {
  const existing = await db.selectFrom("cases").select("id").limit(1).executeTakeFirst();
  if (existing) return 0;
  const areas = await db.selectFrom("areas").select(["id", "name"]).orderBy("name").execute();
  const referrer = await loadDemoUser(db, "referrer@example.org");
  const earlyHelp = await loadDemoUser(db, "earlyhelp@example.org");
  const chairs: Record<string, CurrentUser> = {
    Crewe: await loadDemoUser(db, "chair.crewe@example.org"),
    Macclesfield: await loadDemoUser(db, "chair.macclesfield@example.org"),
  };
  const agencies = await db.selectFrom("agencies").select(["id", "kind"]).execute();
  const health = agencies.find((a) => a.kind === "health")!.id;
  const volunteers = agencies.find((a) => a.kind === "volunteer_family_support")!.id;
  // Requests the panels decided were made weeks ago (they sit on past panels);
  // those still waiting were made in the last few days (they sit on coming panels).
  const early = DateTime.fromJSDate(now).minus({ days: 45 });
  const recent = DateTime.fromJSDate(now).minus({ days: 3 });
  const planned = new Map<number, { then: DecisionOutcome; close: boolean; submitter: CurrentUser }>();
  let n = 0;
  for (const area of areas.filter((a) => chairs[a.name])) {
    const submitter = area.name === "Crewe" ? referrer : earlyHelp;
    for (const [i, plan] of PLANS.entries()) {
      n++;
      const decided = plan.kind !== "front_door" && plan.then;
      // Those still waiting are sent seconds apart, so all of them meet the same agenda's cut-off whatever the time of day.
      const clock = fixedClock((decided ? early.plus({ hours: i * 3 }) : recent.plus({ seconds: i })).toJSDate());
      const deps = { db, clock };
      const actor = { user: submitter, ip: null };
      if (plan.kind === "front_door") {
        const id = await startDraft(deps, actor, "step_up");
        await answerRiskQuestion(deps, actor, id, "yes");
        const typed = { dobDay: String((n % 27) + 1), dobMonth: String((n % 12) + 1), dobYear: String(2010 + (n % 12)) };
        await sendToFrontDoor(
          deps,
          actor,
          id,
          {
            firstName: FIRST[n % FIRST.length],
            lastName: LAST[(n * 7) % LAST.length],
            ...typed,
            address: `${n} Demo Road, ${area.name}`,
            areaId: area.id,
            concern: "Told a teacher this morning that a parent's partner hit them last night and they are scared to go home.",
            contactPhone: "01632 960 001",
          },
          typed,
        );
        continue;
      }
      const id = await startDraft(deps, actor, plan.kind);
      await answerRiskQuestion(deps, actor, id, "no");
      const consentDate = DateTime.fromJSDate(clock.now()).minus({ days: 3 });
      await saveDraftPage(deps, actor, id, "child", {
        firstName: FIRST[n % FIRST.length],
        lastName: LAST[(n * 7) % LAST.length],
        dobDay: String((n % 27) + 1),
        dobMonth: String((n % 12) + 1),
        dobYear: String(2010 + (n % 12)),
        address: `${n} Demo Road, ${area.name}`,
        areaId: String(area.id),
      });
      await saveDraftPage(
        deps,
        actor,
        id,
        "details",
        plan.kind === "step_up"
          ? {
              currentService: "early_help",
              leadPractitioner: `${submitter.name}, ${submitter.agencyName}`,
              concerns: "Neglect concerns rising despite the early help plan; missed health appointments.",
              triedSoFar: "Team Around the Family every six weeks; parenting programme; Graded Care Profile 2.",
              familyView: "Parents accept more support is needed.",
              "agencies[]": [String(health)],
            }
          : {
              reason: "Child protection plan ended; Signs of Safety review shows risks reduced.",
              outcomes: "School attendance above 90%\nRegular health visitor contact\nStable bedtime routine",
              outstandingTasks: "Dental check",
              proposedService: n % 3 === 0 ? "volunteer_support" : "early_help",
              proposedLead: "Early Help Team, locality hub",
              consent: "given",
              consentDay: String(consentDate.day),
              consentMonth: String(consentDate.month),
              consentYear: String(consentDate.year),
              consentHow: "In person at a home visit",
              "agencies[]": [String(health), String(volunteers)],
            },
      );
      await submitRequest(deps, actor, id);
      if (plan.then) planned.set(id, { then: plan.then, close: plan.close ?? false, submitter });
    }
  }
  await runDemoPastPanels(db, now, planned, chairs);
  await seedDemoEscalation(db, now, chairs);
  // On the next Crewe panel too, health is invited for the step ups only.
  if (chairs.Crewe) {
    const next = await db
      .selectFrom("panels")
      .select("id")
      .where("area_id", "=", chairs.Crewe.areaId!)
      .where("status", "in", ["scheduled", "agenda_open", "agenda_closed"])
      .where("starts_at", ">", now)
      .orderBy("starts_at")
      .executeTakeFirst();
    if (next) {
      const items = await listAgendaItems(db, next.id, ["listed"]);
      const deps = { db, clock: fixedClock(now), settings: DEMO_SETTINGS };
      await inviteHealthForStepUps(deps, { user: chairs.Crewe, ip: null }, next.id, items);
      // The demo's next Crewe panel has its agenda sent, so the health partner sees her items; later ones wait for the chair.
      const { version } = await db.selectFrom("panels").select("version").where("id", "=", next.id).executeTakeFirstOrThrow();
      await sendAgenda(deps, { user: chairs.Crewe, ip: null }, next.id, { version });
    }
  }
  return n;
}
