import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { ConflictError, FormError } from "../../app/lib/errors";
import { validate } from "../../app/lib/validation";
import { raiseChallengeSchema } from "../../app/forms/challenge";
import { agendaItemSchema } from "../../app/forms/panel";
import { viewCase } from "../../app/services/cases.server";
import {
  CHALLENGE_JOBS,
  challengeRegister,
  escalateChallenge,
  myChallenges,
  raiseChallenge,
  referChallengeToFrontDoor,
  registerCsv,
  resolveChallenge,
  respondToChallenge,
  viewChallenge,
  withdrawChallenge,
} from "../../app/services/challenges.server";
import { runDueJobs } from "../../app/services/jobs.server";
import { decideItem, startMeeting } from "../../app/services/meeting.server";
import { editAgendaItem } from "../../app/services/agenda.server";
import { listJobs } from "../../db/queries/jobs";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, createUser } from "../support/factories";
import { decisionForm, panelArea, parsed } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";

describe.each(backends)("professional challenge and escalation (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock, settings: { appUrl: "https://threshold.example.org" } });

  /** A step-up agreed at the 9 December panel, with the health partner attending. */
  async function decided(outcome = "step_up_agreed") {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panel = (await t.db.selectFrom("panels").selectAll().where("area_id", "=", p.area.id).orderBy("starts_at").execute())[1];
    const submitted = await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    // The chair invites the health partner for the item, so she takes part in the decision.
    const listed = await t.db.selectFrom("agenda_items").selectAll().where("panel_id", "=", panel.id).executeTakeFirstOrThrow();
    const before = (await t.db.selectFrom("panels").select("version").where("id", "=", panel.id).executeTakeFirstOrThrow()).version;
    await editAgendaItem(
      deps(),
      actorFor(p.chair),
      panel.id,
      listed.id,
      parsed(validate(agendaItemSchema, { version: String(before), slotMinutes: "15", userIds: [String(p.nurse.id)] })),
    );
    clock.set("2026-12-09T10:00:00Z");
    const version = (await t.db.selectFrom("panels").select("version").where("id", "=", panel.id).executeTakeFirstOrThrow()).version;
    await startMeeting(deps(), actorFor(p.chair), panel.id, { version });
    const item = await t.db.selectFrom("agenda_items").selectAll().where("panel_id", "=", panel.id).executeTakeFirstOrThrow();
    const cv = (await t.db.selectFrom("cases").select("version").where("id", "=", item.case_id).executeTakeFirstOrThrow()).version;
    await decideItem(deps(), actorFor(p.chair), panel.id, decisionForm("2026-12-09", item.id, cv, { outcome }));
    const decision = await t.db.selectFrom("decisions").selectAll().where("case_id", "=", item.case_id).executeTakeFirstOrThrow();
    return { ...p, panel, submitted, decision, caseId: item.case_id };
  }

  const form = (decisionId: number, over: Record<string, string> = {}) =>
    parsed(
      validate(raiseChallengeSchema, {
        decisionId: String(decisionId),
        disagreement: "Community health disagrees that social care is needed",
        category: "threshold",
        reason: "The early help plan is working; attendance has improved",
        riskHolder: "Chris Chair, team manager",
        ...over,
      }),
    );

  async function challengeRow(id: number) {
    return t.db.selectFrom("challenges").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  }

  async function runJobsAt(iso: string) {
    clock.set(iso);
    return runDueJobs(deps(), CHALLENGE_JOBS);
  }

  it("lets a partner who took part raise a challenge with a risk holder; stage 1 starts with a 2-working-day deadline and the decision maker is told", async () => {
    const p = await decided();
    clock.set("2026-12-10T14:00:00Z"); // Thursday
    const id = await raiseChallenge(deps(), actorFor(p.nurse), p.submitted.reference, form(p.decision.id));
    const row = await challengeRow(id);
    expect(row).toMatchObject({ status: "stage1", stage: 1, risk_holder: "Chris Chair, team manager", respondent_user_id: p.chair.id });
    expect(new Date(row.deadline_at!).toISOString()).toBe("2026-12-14T14:00:00.000Z"); // Monday, skipping the weekend
    const mail = await t.db.selectFrom("outbox").selectAll().where("kind", "=", "challenge_raised").execute();
    expect(mail.map((m) => m.recipient)).toEqual([p.chair.email]);
    expect(mail[0].subject).toBe(`Threshold: a professional challenge has been raised on case ${p.submitted.reference}`);
    expect((await listJobs(t.db)).map((j) => j.kind).sort()).toEqual(["challenge.deadline", "challenge.reminder"]);
    // The case page shows the open challenge and who holds the risk.
    const view = await viewCase(deps(), actorFor(p.chair), p.submitted.reference);
    expect(view.challenges.map((c) => [c.status, c.risk_holder])).toEqual([["stage1", "Chris Chair, team manager"]]);
    expect((await myChallenges(deps(), actorFor(p.chair))).map((c) => c.id)).toEqual([id]);
    expect(await myChallenges(deps(), actorFor(p.ehWorker))).toEqual([]);
  });

  it("refuses a challenge without a risk holder, from someone who was not there, or after the 10-working-day window", async () => {
    const p = await decided();
    expect(
      validate(raiseChallengeSchema, {
        decisionId: String(p.decision.id),
        disagreement: "x",
        category: "risk",
        reason: "y",
        riskHolder: " ",
      }),
    ).toMatchObject({
      ok: false,
      errors: { riskHolder: "Enter who holds the risk while this is resolved" },
    });
    const outsider = await createUser(t.db, { role: "team_manager", areaId: p.area.id });
    clock.set("2026-12-10T14:00:00Z");
    await expect(raiseChallenge(deps(), actorFor(outsider), p.submitted.reference, form(p.decision.id))).rejects.toMatchObject({
      fieldErrors: { decisionId: "Only people who took part in the decision, or who made the request, can challenge it" },
    });
    // 9 December + 10 working days = 23 December (over no bank holiday); 24th is too late.
    clock.set("2026-12-24T11:00:00Z");
    await expect(raiseChallenge(deps(), actorFor(p.referrer), p.submitted.reference, form(p.decision.id))).rejects.toMatchObject({
      fieldErrors: { decisionId: "A challenge must be raised within 10 working days of the decision; that window has closed" },
    });
    expect(await t.db.selectFrom("challenges").select("id").execute()).toEqual([]);
  });

  it("escalates through the stages with working-day deadlines and refuses to go past stage 5", async () => {
    const p = await decided();
    clock.set("2026-12-10T14:00:00Z");
    const id = await raiseChallenge(deps(), actorFor(p.nurse), p.submitted.reference, form(p.decision.id));
    const expected = [
      ["2026-12-11T09:00:00Z", 2, "2026-12-16T09:00:00.000Z"], // Fri + 3 working days
      ["2026-12-16T09:00:00Z", 3, "2026-12-23T09:00:00.000Z"], // Wed + 5
      ["2026-12-23T09:00:00Z", 4, "2027-01-04T09:00:00.000Z"], // Wed + 5 over Christmas and New Year
      ["2027-01-04T09:00:00Z", 5, "2027-01-18T09:00:00.000Z"], // Mon + 10
    ] as const;
    for (const [at, stage, deadline] of expected) {
      clock.set(at);
      const { version } = await challengeRow(id);
      await escalateChallenge(deps(), actorFor(p.nurse), id, { version, reason: "No agreement at this stage" });
      const row = await challengeRow(id);
      expect([row.stage, new Date(row.deadline_at!).toISOString()]).toEqual([stage, deadline]);
    }
    const { version } = await challengeRow(id);
    await expect(escalateChallenge(deps(), actorFor(p.nurse), id, { version, reason: "Again" })).rejects.toMatchObject({
      fieldErrors: { reason: "This challenge is at the last stage (the safeguarding partnership): resolve it there" },
    });
    expect((await challengeRow(id)).stage).toBe(5);
    const escalated = await t.db.selectFrom("outbox").select(["recipient"]).where("kind", "=", "challenge_escalated").execute();
    expect(escalated.map((m) => m.recipient)).toContain(p.deputy.email); // team managers at stage 2
    // A stale form (read before the last escalation) is refused, not applied.
    await expect(
      resolveChallenge(deps(), actorFor(p.headOfService), id, { version: version - 1, resolution: "decision_upheld", reason: "x" }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await challengeRow(id)).status).toBe("stage5");
  });

  it("lists, lets answer and tells the same managers at every stage: the ones whose turn it is", async () => {
    const p = await decided();
    clock.set("2026-12-10T14:00:00Z");
    const id = await raiseChallenge(deps(), actorFor(p.nurse), p.submitted.reference, form(p.decision.id));
    const managers = { team_manager: p.deputy, service_manager: p.serviceManager, head_of_service: p.headOfService };
    const turn = [null, "team_manager", "service_manager", "head_of_service", "head_of_service"];
    const escalations = ["2026-12-11T09:00:00Z", "2026-12-16T09:00:00Z", "2026-12-23T09:00:00Z", "2027-01-04T09:00:00Z"];
    for (let stage = 1; stage <= 5; stage++) {
      let told: string[] = [];
      if (stage > 1) {
        clock.set(escalations[stage - 2]);
        const before = await t.db
          .selectFrom("outbox")
          .select((eb) => eb.fn.max("id").as("id"))
          .executeTakeFirstOrThrow();
        const { version } = await challengeRow(id);
        await escalateChallenge(deps(), actorFor(p.nurse), id, { version, reason: `No agreement before stage ${stage}` });
        const mail = await t.db
          .selectFrom("outbox")
          .select("recipient")
          .where("kind", "=", "challenge_escalated")
          .where("id", ">", Number(before.id ?? 0))
          .execute();
        told = mail.map((m) => m.recipient);
      }
      expect((await challengeRow(id)).stage).toBe(stage);
      for (const [role, manager] of Object.entries(managers)) {
        const theirTurn = turn[stage - 1] === role;
        const listed = (await myChallenges(deps(), actorFor(manager))).some((c) => c.id === id);
        const answered = await respondToChallenge(deps(), actorFor(manager), id, { text: `${role} at stage ${stage}` }).then(
          () => true,
          () => false,
        );
        // Stage 1 is practitioner to practitioner: no manager is told of it.
        const wasTold = told.includes(manager.email);
        expect({ stage, role, listed, answered, wasTold }).toEqual({
          stage,
          role,
          listed: theirTurn,
          answered: theirTurn,
          wasTold: theirTurn,
        });
      }
    }
  });

  it("passes over a stage whose only managers made the decision, and says who it went to", async () => {
    const p = await decided();
    // The chair who decided is the area's only team manager besides the deputy; without the deputy, stage 2 is not independent.
    await t.db.updateTable("users").set({ active: false }).where("id", "=", p.deputy.id).execute();
    clock.set("2026-12-10T14:00:00Z");
    const id = await raiseChallenge(deps(), actorFor(p.nurse), p.submitted.reference, form(p.decision.id));
    const { version } = await challengeRow(id);
    const reached = await escalateChallenge(deps(), actorFor(p.nurse), id, { version, reason: "We still disagree" });
    expect(reached).toMatchObject({ stage: 3, wentTo: ["Sam Service"] });
    expect((await challengeRow(id)).stage).toBe(3);
    const view = await viewChallenge(deps(), actorFor(p.nurse), id);
    expect(view.withManagers).toEqual(["Sam Service"]);
    expect(view.events.map((e) => [e.event, e.to_status])).toEqual(
      expect.arrayContaining([
        ["START", "stage1"],
        ["ESCALATE", "stage2"],
        ["ESCALATE", "stage3"],
      ]),
    );
    expect(view.events.filter((e) => e.event === "START")).toHaveLength(1);
    expect(view.events.find((e) => e.to_status === "stage3")?.text).toContain("Passed over Stage 2: team managers");
    // The raiser is told who it went to; the decision's maker is not counted as the stage's manager.
    const told = await t.db.selectFrom("outbox").select(["recipient", "text_body"]).where("kind", "=", "challenge_escalated").execute();
    expect(told.map((m) => m.recipient)).toContain(p.serviceManager.email);
    expect(told.find((m) => m.recipient === p.chair.email)?.text_body ?? "It has gone to Sam Service").toContain(
      "It has gone to Sam Service",
    );
  });

  it("marks a stage overdue when its deadline passes, once, even with two workers, and tells both sides and the next stage", async () => {
    const p = await decided();
    clock.set("2026-12-10T14:00:00Z");
    const id = await raiseChallenge(deps(), actorFor(p.nurse), p.submitted.reference, form(p.decision.id));
    // The reminder runs the working day before, at 9am: Friday 11th.
    expect(await runJobsAt("2026-12-11T08:59:00Z")).toBe(0);
    expect(await runJobsAt("2026-12-11T09:00:00Z")).toBe(1);
    expect(
      (await t.db.selectFrom("outbox").select("recipient").where("kind", "=", "challenge_reminder").execute()).map((m) => m.recipient),
    ).toEqual([p.chair.email]);

    clock.set("2026-12-14T14:00:01Z");
    const [a, b] = await Promise.all([runDueJobs(deps(), CHALLENGE_JOBS), runDueJobs(deps(), CHALLENGE_JOBS)]);
    expect(a + b).toBe(1);
    const row = await challengeRow(id);
    expect(row).toMatchObject({ status: "stage1", overdue: true });
    const overdue = await t.db.selectFrom("outbox").select("recipient").where("kind", "=", "challenge_overdue").execute();
    const told = overdue.map((m) => m.recipient);
    expect(told).toEqual(expect.arrayContaining([p.nurse.email, p.chair.email, p.deputy.email]));
    expect(new Set(told).size).toBe(told.length);
    // Escalation stays a human decision: the challenge is still at stage 1.
    expect((await viewChallenge(deps(), actorFor(p.chair), id)).challenge.stage).toBe(1);
  });

  it("changes the decision on resolution and the case journey follows, saying why", async () => {
    const p = await decided();
    clock.set("2026-12-10T14:00:00Z");
    const id = await raiseChallenge(deps(), actorFor(p.nurse), p.submitted.reference, form(p.decision.id));
    await respondToChallenge(deps(), actorFor(p.chair), id, { text: "Happy to meet to discuss" });
    const { version } = await challengeRow(id);
    await expect(
      resolveChallenge(deps(), actorFor(p.chair), id, {
        version,
        resolution: "decision_changed",
        reason: "Health's evidence accepted",
        changedTo: "social_care",
      }),
    ).rejects.toMatchObject({ fieldErrors: { changedTo: expect.stringContaining("cannot move there") } });
    await resolveChallenge(deps(), actorFor(p.chair), id, {
      version,
      resolution: "decision_changed",
      reason: "Health's evidence accepted",
      changedTo: "early_help",
    });
    expect(await challengeRow(id)).toMatchObject({ status: "resolved", resolution: "decision_changed", changed_to: "early_help" });
    const view = await viewCase(deps(), actorFor(p.chair), p.submitted.reference);
    expect(view.case.status).toBe("early_help");
    expect(view.transitions[0]).toMatchObject({ event: "DECISION_CHANGED", from_status: "social_care", to_status: "early_help" });
    expect(view.transitions[0].reason).toContain(`Professional challenge ${id}: decision changed`);
    const events = (await viewChallenge(deps(), actorFor(p.nurse), id)).events.map((e) => e.event);
    expect(events).toEqual(["RESOLVE", "RESPONSE", "START"]);
    expect(
      (await t.db.selectFrom("outbox").select("recipient").where("kind", "=", "challenge_resolved").execute()).map((m) => m.recipient),
    ).toEqual([p.nurse.email]);
  });

  it("sends the case to the front door at once on immediate risk, and lets the raiser withdraw another", async () => {
    const p = await decided();
    clock.set("2026-12-10T14:00:00Z");
    const id = await raiseChallenge(deps(), actorFor(p.nurse), p.submitted.reference, form(p.decision.id));
    const { version } = await challengeRow(id);
    await referChallengeToFrontDoor(deps(), actorFor(p.chair), id, { version, reason: "New injury reported today" });
    expect((await challengeRow(id)).status).toBe("front_door");
    expect((await viewCase(deps(), actorFor(p.chair), p.submitted.reference)).case.status).toBe("front_door");

    const second = await raiseChallenge(
      deps(),
      actorFor(p.referrer),
      p.submitted.reference,
      form(p.decision.id, { category: "information" }),
    );
    await expect(withdrawChallenge(deps(), actorFor(p.chair), second, { version: 2, reason: "x" })).rejects.toMatchObject({ status: 403 });
    await withdrawChallenge(deps(), actorFor(p.referrer), second, {
      version: (await challengeRow(second)).version,
      reason: "Resolved by phone",
    });
    expect((await challengeRow(second)).status).toBe("withdrawn");
  });

  it("keeps a register with filters, days open, counts by category and agency, and a CSV export with no child details", async () => {
    const p = await decided();
    clock.set("2026-12-10T14:00:00Z");
    const a = await raiseChallenge(deps(), actorFor(p.nurse), p.submitted.reference, form(p.decision.id));
    const b = await raiseChallenge(deps(), actorFor(p.referrer), p.submitted.reference, form(p.decision.id, { category: "risk" }));
    clock.set("2026-12-14T14:00:01Z");
    await runDueJobs(deps(), CHALLENGE_JOBS);
    clock.set("2026-12-15T09:00:00Z");
    await resolveChallenge(deps(), actorFor(p.chair), b, {
      version: (await challengeRow(b)).version,
      resolution: "decision_upheld",
      reason: "Threshold met",
    });

    const all = await challengeRegister(deps(), actorFor(p.chair), {});
    expect(all.rows.map((r) => [r.id, r.days_open]).sort()).toEqual(
      [
        [a, 4],
        [b, 4],
      ].sort(),
    );
    expect(all.byCategory).toEqual(
      expect.arrayContaining([
        ["threshold", 1],
        ["risk", 1],
      ]),
    );
    expect(all.byAgency).toEqual(expect.arrayContaining([[p.health.name, 1]]));
    expect((await challengeRegister(deps(), actorFor(p.chair), { overdue: true })).rows.map((r) => r.id)).toEqual([a]);
    expect((await challengeRegister(deps(), actorFor(p.chair), { resolution: "decision_upheld" })).rows.map((r) => r.id)).toEqual([b]);
    expect(
      (await challengeRegister(deps(), actorFor(p.chair), { status: "open", category: "threshold", agencyId: p.health.id })).rows.map(
        (r) => r.id,
      ),
    ).toEqual([a]);
    await expect(challengeRegister(deps(), actorFor(p.nurse), {})).rejects.toMatchObject({ status: 403 });

    const csv = registerCsv(all.rows);
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe(
      "id,case_reference,area,raised_by_agency,raised_by,category,status,overdue,outcome,raised_at,closed_at,days_open,risk_holder",
    );
    expect(lines).toHaveLength(3);
    expect(csv).toContain(p.submitted.reference);
    expect(csv).not.toContain("Jamie");
  });

  it("is refused with a clear error on a closed challenge", async () => {
    const p = await decided();
    clock.set("2026-12-10T14:00:00Z");
    const id = await raiseChallenge(deps(), actorFor(p.nurse), p.submitted.reference, form(p.decision.id));
    await withdrawChallenge(deps(), actorFor(p.nurse), id, { version: (await challengeRow(id)).version, reason: "Agreed" });
    await expect(
      escalateChallenge(deps(), actorFor(p.chair), id, { version: (await challengeRow(id)).version, reason: "x" }),
    ).rejects.toBeInstanceOf(FormError);
  });
});
