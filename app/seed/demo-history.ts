import { sql } from "kysely";
import { DateTime } from "luxon";
import type { Attendance } from "../../db/schema";
import type { Database } from "../../db/connect";
import type { DecisionOutcome, ServiceState } from "../../machines/case-journey/case-journey.machine";
import { CHALLENGE_MACHINE_VERSION, type PersistedChallenge } from "../../machines/challenge/challenge.machine";
import { ZONE } from "../lib/dates";
import { writePastCase, writePastPanel, type PastStep } from "./history";

/**
 * Two years of panel history for the demo areas, before the panels the demo
 * runs through the app: fortnightly routine panels (a few cancelled), an
 * extraordinary panel every few months, and a few hundred requests with
 * deferrals, corrections, bounce-backs and challenges, so every insight
 * figure has something to say. Deterministic: the same data on every machine.
 */

const AREA_SETUP: Record<string, { chair: string; core: string[]; item: string[] }> = {
  Crewe: {
    chair: "chair.crewe@example.org",
    core: ["earlyhelp.manager@example.org", "volunteer@example.org"],
    item: ["partner.health@example.org"],
  },
  Macclesfield: { chair: "chair.macclesfield@example.org", core: ["earlyhelp@example.org"], item: [] },
};

/** A small seeded random generator (mulberry32), so the history is the same every time. */
function randomFrom(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!,
    chance: (p: number) => next() < p,
  };
}

interface HistoryPanel {
  id: number;
  startsAt: DateTime;
  kind: "routine" | "extraordinary";
  held: boolean;
}

export async function seedDemoHistory(db: Database, now: Date): Promise<{ panels: number; cases: number }> {
  const existing = await db
    .selectFrom("requests")
    .select("id")
    .where(sql<boolean>`answers @> '{"history": true}'`)
    .limit(1)
    .executeTakeFirst();
  if (existing) return { panels: 0, cases: 0 };
  const random = randomFrom(20261130);
  const users = await db.selectFrom("users").select(["id", "email"]).execute();
  const userId = (email: string) => users.find((u) => u.email === email)?.id;
  const agencies = await db.selectFrom("agencies").select(["id", "kind"]).execute();
  const agencyOf = (kind: string) => agencies.find((a) => a.kind === kind)?.id;
  const referrers = ["education", "health", "police", "early_help"].map(agencyOf).filter((id): id is number => Boolean(id));
  const socialCare = agencyOf("childrens_social_care");
  const areas = await db.selectFrom("areas").select(["id", "name"]).execute();
  const today = DateTime.fromJSDate(now).setZone(ZONE);
  // The demo's own panels start on the Wednesday on or before seven weeks ago; history ends a fortnight before that.
  const past = today.minus({ weeks: 7 });
  const anchor = past.minus({ days: (past.weekday - 3 + 7) % 7 }).startOf("day");
  const first = anchor.minus({ weeks: 104 });
  let panelCount = 0;
  let caseCount = 0;

  await db.transaction().execute(async (trx) => {
    for (const area of areas) {
      const setup = AREA_SETUP[area.name];
      const chair = setup && userId(setup.chair);
      if (!setup || !chair || !socialCare || !referrers.length) continue;
      const attendees = (kind: "routine" | "extraordinary") => [
        { userId: chair, role: "chair" as const, attendance: "in_person" as const },
        ...setup.core
          .map(userId)
          .filter((id): id is number => Boolean(id))
          .map((id) => ({
            userId: id,
            role: "core" as const,
            attendance: (random.chance(kind === "extraordinary" ? 0.65 : 0.85)
              ? random.pick(["in_person", "online"] as const)
              : "apologies") as Attendance,
          })),
        ...setup.item
          .map(userId)
          .filter((id): id is number => Boolean(id))
          .map((id) => ({ userId: id, role: "item" as const, attendance: random.chance(0.7) ? ("online" as const) : ("absent" as const) })),
      ];
      const panels: HistoryPanel[] = [];
      for (let date = first; date < anchor.minus({ days: 1 }); date = date.plus({ weeks: 2 })) {
        const startsAt = date.set({ hour: 10 });
        const held = !random.chance(0.04);
        const id = await writePastPanel(trx, {
          areaId: area.id,
          kind: "routine",
          startsAt: startsAt.toJSDate(),
          status: held ? "minutes_published" : "cancelled",
          chairUserId: chair,
          attendees: held ? attendees("routine") : [],
        });
        panels.push({ id, startsAt, kind: "routine", held });
        // An extraordinary panel on the Friday after about one routine panel in nine, when step-downs spiked.
        if (random.chance(0.11)) {
          const extraAt = startsAt.plus({ days: 9 }).set({ hour: 14 });
          const extraId = await writePastPanel(trx, {
            areaId: area.id,
            kind: "extraordinary",
            startsAt: extraAt.toJSDate(),
            status: "minutes_published",
            chairUserId: chair,
            attendees: attendees("extraordinary"),
          });
          panels.push({ id: extraId, startsAt: extraAt, kind: "extraordinary", held: true });
        }
      }
      panels.sort((a, b) => a.startsAt.toMillis() - b.startsAt.toMillis());
      const end = anchor.minus({ weeks: 1 });
      /** The first panel that can hear a request submitted then (a week's cut-off; extraordinary panels take step downs only). */
      const panelFor = (submitted: DateTime, kind: "step_up" | "step_down") =>
        panels.find(
          (p) =>
            p.held &&
            p.startsAt > submitted.plus({ days: p.kind === "extraordinary" ? 2 : 7 }) &&
            (p.kind === "routine" || kind === "step_down"),
        );

      for (let story = 0; story < 110; story++) {
        const startIn: ServiceState = random.chance(0.5) ? "early_help" : "social_care";
        let side: "early_help" | "social_care" = startIn === "social_care" ? "social_care" : "early_help";
        let submitted: DateTime = first.plus({ days: random.int(0, 700) }).set({ hour: random.int(9, 16) });
        const steps: PastStep[] = [];
        for (let n = 0; n < 4 && submitted < end; n++) {
          const kind = side === "early_help" ? "step_up" : "step_down";
          const panel = panelFor(submitted, kind);
          if (!panel || panel.startsAt > end) break;
          const decisions: Array<{ at: Date; outcome: DecisionOutcome; panelId: number | null; transferDate?: string }> = [];
          let hearing: HistoryPanel | undefined = panel;
          if (random.chance(0.12)) {
            decisions.push({
              at: hearing.startsAt.plus({ minutes: random.int(5, 110) }).toJSDate(),
              outcome: "deferred",
              panelId: hearing.id,
            });
            hearing = panelFor(hearing.startsAt.minus({ days: 6 }), kind);
            if (hearing && random.chance(0.2)) {
              decisions.push({
                at: hearing.startsAt.plus({ minutes: random.int(5, 110) }).toJSDate(),
                outcome: "deferred",
                panelId: hearing.id,
              });
              hearing = panelFor(hearing.startsAt.minus({ days: 6 }), kind);
            }
          }
          if (!hearing || hearing.startsAt > end) break;
          const roll = random.next();
          const outcome: DecisionOutcome =
            kind === "step_up"
              ? roll < 0.6
                ? "step_up_agreed"
                : roll < 0.85
                  ? "not_agreed"
                  : "signposted"
              : roll < (hearing.kind === "extraordinary" ? 0.6 : 0.5)
                ? "step_down_agreed_early_help"
                : roll < 0.8
                  ? "step_down_agreed_volunteer_support"
                  : "not_agreed";
          const decidedAt = hearing.startsAt.plus({ minutes: random.int(5, 110) });
          decisions.push({
            at: decidedAt.toJSDate(),
            outcome,
            panelId: hearing.id,
            ...(outcome.startsWith("step_down_agreed") && random.chance(0.9)
              ? { transferDate: decidedAt.plus({ days: random.int(5, 25) }).toISODate()! }
              : {}),
          });
          const corrected = outcome === "not_agreed" && kind === "step_up" && random.chance(0.08);
          steps.push({
            request: kind,
            agencyId: kind === "step_up" ? random.pick(referrers) : socialCare,
            submittedAt: submitted.toJSDate(),
            decisions,
            ...(corrected ? { correction: { at: decidedAt.plus({ days: random.int(7, 30) }).toJSDate(), outcome: "step_up_agreed" } } : {}),
          });
          const agreed = corrected || outcome === "step_up_agreed" || outcome.startsWith("step_down_agreed");
          if (agreed) side = side === "early_help" ? "social_care" : "early_help";
          // Some come back across the threshold within months; most settle.
          if (!random.chance(agreed ? 0.3 : 0.15)) {
            if (random.chance(0.2) && decidedAt.plus({ days: 90 }) < end)
              steps.push({ close: decidedAt.plus({ days: random.int(60, 200) }).toJSDate() });
            break;
          }
          submitted = decidedAt.plus({ days: random.int(20, 300) });
        }
        if (!steps.length) continue;
        const firstStep = steps[0] as { submittedAt: Date };
        await writePastCase(trx, {
          areaId: area.id,
          startIn,
          createdAt: firstStep.submittedAt,
          byUserId: chair,
          steps: steps.filter((s) => !("close" in s) || s.close < end.toJSDate()),
        });
        caseCount++;
      }
      panelCount += panels.length;
    }
    await seedHistoryChallenges(trx, random, now);
  });
  return { panels: panelCount, cases: caseCount };
}

/** About one decision in twenty challenged, most settled, a few still open. */
async function seedHistoryChallenges(db: Database, random: ReturnType<typeof randomFrom>, now: Date) {
  const decisions = await db
    .selectFrom("decisions")
    .innerJoin("requests", "requests.id", "decisions.request_id")
    .innerJoin("cases", "cases.id", "decisions.case_id")
    .select([
      "decisions.id",
      "decisions.case_id",
      "decisions.panel_id",
      "decisions.decided_at",
      "decisions.decided_by_user_id",
      "cases.area_id",
      "requests.agency_id",
      "requests.submitted_by_user_id",
    ])
    .where("decisions.outcome", "<>", "deferred")
    .where(sql<boolean>`requests.answers @> '{"history": true}'`)
    .orderBy("decisions.id")
    .execute();
  for (const d of decisions) {
    if (!random.chance(0.05)) continue;
    const raised = DateTime.fromJSDate(new Date(d.decided_at)).plus({ days: random.int(1, 8) });
    const closed = raised.plus({ days: random.int(3, 40) });
    const open = closed > DateTime.fromJSDate(now);
    const resolution = random.pick(["decision_upheld", "decision_upheld", "agreed_alternative", "decision_changed"] as const);
    const stage = open ? random.int(1, 2) : 2;
    const deadline = raised.plus({ days: 5 * stage });
    const machine: PersistedChallenge = {
      version: CHALLENGE_MACHINE_VERSION,
      value: open ? (`stage${stage}` as "stage1" | "stage2") : "resolved",
      context: {
        stage,
        deadline: open ? deadline.toISO() : null,
        overdue: open && deadline < DateTime.fromJSDate(now),
        resolution: open ? null : resolution,
        closedReason: open ? null : "Settled between the managers",
      },
    };
    const row = await db
      .insertInto("challenges")
      .values({
        case_id: d.case_id,
        decision_id: d.id,
        panel_id: d.panel_id,
        area_id: d.area_id,
        raised_by_user_id: d.submitted_by_user_id,
        raiser_agency_id: d.agency_id,
        respondent_user_id: d.decided_by_user_id,
        disagreement: "The partner disagreed with the decision",
        category: random.pick(["threshold", "threshold", "risk", "information", "capacity"] as const),
        reason: "Recorded in the panel's history",
        risk_holder: "Panel chair",
        status: machine.value,
        stage,
        machine: JSON.stringify(machine),
        deadline_at: open ? deadline.toJSDate() : null,
        overdue: machine.context.overdue,
        resolution: open ? null : resolution,
        created_at: raised.toJSDate(),
        updated_at: (open ? raised : closed).toJSDate(),
        closed_at: open ? null : closed.toJSDate(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const events = [{ at: raised, event: "START", from: "raised", to: "stage1" }];
    if (stage === 2) events.push({ at: raised.plus({ days: 5 }), event: "ESCALATE", from: "stage1", to: "stage2" });
    if (!open) events.push({ at: closed, event: "RESOLVE", from: `stage${stage}`, to: "resolved" });
    for (const e of events) {
      await db
        .insertInto("challenge_events")
        .values({
          challenge_id: row.id,
          at: e.at.toJSDate(),
          actor_user_id: d.decided_by_user_id,
          event: e.event,
          from_status: e.from,
          to_status: e.to,
          text: null,
        })
        .execute();
    }
  }
}
