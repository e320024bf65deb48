import { describe, expect, it } from "vitest";
import { listAuditEvents } from "../../db/queries/audit";
import { fixedClock } from "../../app/lib/clock";
import { ConflictError, FormError } from "../../app/lib/errors";
import { actOnCase, recordDecision, viewCase } from "../../app/services/cases.server";
import { awaitingPanelQueue, getDraft, mySubmissions, saveDraftPage, submitRequest } from "../../app/services/requests.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, createArea, createUser } from "../support/factories";
import { childAnswers, submitCompleteRequest, startAnsweredDraft } from "../support/requests";

describe.each(backends)("case journey: requests, decisions and the case page (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock });

  async function people() {
    const crewe = await createArea(t.db, "Crewe");
    const macc = await createArea(t.db, "Macclesfield");
    const referrer = await createUser(t.db, { role: "professional", areaId: crewe.id });
    const other = await createUser(t.db, { role: "professional", areaId: crewe.id });
    const chair = await createUser(t.db, { role: "team_manager", areaId: crewe.id, agencyKind: "childrens_social_care" });
    const maccChair = await createUser(t.db, { role: "team_manager", areaId: macc.id, agencyKind: "childrens_social_care" });
    const secondChair = await createUser(t.db, { role: "team_manager", areaId: crewe.id, agencyKind: "childrens_social_care" });
    return { crewe, macc, referrer, other, chair, maccChair, secondChair };
  }

  it("submits a step up: a case with a TH reference, awaiting a panel, with its history and audit", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await people();
    const result = await submitCompleteRequest(deps(), p.referrer, "step_up", p.crewe.id);
    expect(result.reference).toMatch(/^TH-2026-\d{6}$/);
    const view = await viewCase(deps(), actorFor(p.referrer), result.reference);
    expect(view.case.status).toBe("step_up_requested");
    expect(view.case.child_first_name).toBe("Jamie");
    expect(view.case.child_date_of_birth).toBe("2015-03-14");
    expect(view.transitions.map((x) => x.event)).toEqual(["REQUEST_STEP_UP", "CREATED"]);
    expect(view.requests[0].status).toBe("awaiting_panel");
    expect((await awaitingPanelQueue(deps(), actorFor(p.chair))).map((r) => r.reference)).toEqual([result.reference]);
    expect(await awaitingPanelQueue(deps(), actorFor(p.maccChair))).toEqual([]);
    const audit = await listAuditEvents(t.db, { recordType: "case", recordId: result.reference });
    expect(audit.map((a) => a.action).sort()).toEqual(["case.viewed", "request.submitted"]);
    expect(JSON.stringify(audit)).not.toContain("Jamie");
  });

  it("keeps a draft's typed answers even when they do not validate, and resumes them", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await people();
    const actor = actorFor(p.referrer);
    const id = await startAnsweredDraft(deps(), actor, "step_up");
    const errors = await saveDraftPage(deps(), actor, id, "child", childAnswers(p.crewe.id, { dobDay: "31", dobMonth: "2" }));
    expect(errors).toEqual({ dobDay: "Date of birth must be a real date" });
    const draft = await getDraft(deps(), actor, id);
    expect(draft.answers).toMatchObject({ firstName: "Jamie", dobDay: "31", dobMonth: "2" });
    await expect(submitRequest(deps(), actor, id)).rejects.toThrowError(FormError);
    expect((await mySubmissions(deps(), actor)).map((s) => s.status)).toEqual(["draft"]);
  });

  it("rejects a date of birth in the future and a consent date after today", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await people();
    const actor = actorFor(p.referrer);
    const id = await startAnsweredDraft(deps(), actor, "step_down");
    expect(await saveDraftPage(deps(), actor, id, "child", childAnswers(p.crewe.id, { dobYear: "2027" }))).toEqual({
      dobDay: "Date of birth must be today or in the past",
    });
    const errors = await saveDraftPage(deps(), actor, id, "details", {
      reason: "r",
      outcomes: "o",
      proposedService: "early_help",
      proposedLead: "l",
      consent: "given",
      consentDay: "24",
      consentMonth: "11",
      consentYear: "2026",
      consentHow: "phone",
    });
    expect(errors).toEqual({ consentDay: "The date consent was given must be today or in the past" });
  });

  it("refuses a step down to early help without the family's consent", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await people();
    const actor = actorFor(p.referrer);
    const id = await startAnsweredDraft(deps(), actor, "step_down");
    const errors = await saveDraftPage(deps(), actor, id, "details", {
      reason: "r",
      outcomes: "o",
      proposedService: "volunteer_support",
      proposedLead: "l",
      consent: "not_given",
    });
    expect(errors?.consent).toMatch(/family must consent/);
  });

  it("lets only the people who may see a case see it", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await people();
    const { reference } = await submitCompleteRequest(deps(), p.referrer, "step_up", p.crewe.id);
    await expect(viewCase(deps(), actorFor(p.chair), reference)).resolves.toBeTruthy();
    await expect(viewCase(deps(), actorFor(p.other), reference)).rejects.toMatchObject({ status: 404 });
    await expect(viewCase(deps(), actorFor(p.maccChair), reference)).rejects.toMatchObject({ status: 404 });
    const admin = await createUser(t.db, { role: "admin" });
    await expect(viewCase(deps(), actorFor(admin), reference)).rejects.toMatchObject({ status: 404 });
  });

  it("drives the journey with a decision and records who holds the risk", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await people();
    const { reference, requestId } = await submitCompleteRequest(deps(), p.referrer, "step_up", p.crewe.id);
    const before = await viewCase(deps(), actorFor(p.chair), reference);
    await recordDecision(deps(), actorFor(p.chair), reference, {
      requestId,
      version: before.case.version,
      outcome: "step_up_agreed",
      reasons: "Threshold for social care met",
      riskHolderChoice: { name: "Chris Crewe", role: "team manager", agency: "Children's Social Care" },
    });
    const after = await viewCase(deps(), actorFor(p.referrer), reference);
    expect(after.case.status).toBe("social_care");
    expect(after.case.risk_holder).toBe("Chris Crewe, team manager, Children's Social Care");
    expect(after.decisions[0]).toMatchObject({ outcome: "step_up_agreed", reasons: "Threshold for social care met" });
    expect(after.requests[0].status).toBe("decided");
  });

  it("lets only one of two simultaneous decisions on a case win; the other is told it changed", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await people();
    const { reference, requestId } = await submitCompleteRequest(deps(), p.referrer, "step_up", p.crewe.id);
    const { case: loaded } = await viewCase(deps(), actorFor(p.chair), reference);
    const decide = (chair: typeof p.chair, outcome: "step_up_agreed" | "not_agreed") =>
      recordDecision(deps(), actorFor(chair), reference, {
        requestId,
        version: loaded.version,
        outcome,
        reasons: outcome,
        riskHolderChoice: { name: chair.name, role: "team manager", agency: "Children's Social Care" },
      });
    const results = await Promise.allSettled([decide(p.chair, "step_up_agreed"), decide(p.secondChair, "not_agreed")]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason instanceof ConflictError || lost[0].reason instanceof FormError).toBe(true);
    const decisions = await t.db.selectFrom("decisions").selectAll().execute();
    expect(decisions).toHaveLength(1);
    const transitions = await t.db.selectFrom("case_transitions").select("event").execute();
    expect(transitions.filter((x) => x.event === "PANEL_DECISION")).toHaveLength(1);
  });

  it("tells a person acting on a stale page what changed", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await people();
    const { reference } = await submitCompleteRequest(deps(), p.referrer, "step_up", p.crewe.id);
    const stale = (await viewCase(deps(), actorFor(p.chair), reference)).case.version;
    await actOnCase(deps(), actorFor(p.referrer), reference, { action: "withdraw", version: stale, reason: "Family moved" });
    const error = await actOnCase(deps(), actorFor(p.chair), reference, {
      action: "refer",
      version: stale,
      reason: "Worried",
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.current.status).toBe("early_help");
    expect(error.current.changes[0]).toMatch(/Step up requested → Early help/);
  });

  it("refuses a case action the case cannot take (a tampered form), with no write", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await people();
    const { reference } = await submitCompleteRequest(deps(), p.referrer, "step_up", p.crewe.id);
    const version = (await viewCase(deps(), actorFor(p.chair), reference)).case.version;
    await expect(
      actOnCase(deps(), actorFor(p.chair), reference, { action: "reopen", version, to: "early_help", reason: "x" }),
    ).rejects.toThrowError(/cannot take/);
    expect((await viewCase(deps(), actorFor(p.chair), reference)).case.version).toBe(version);
  });

  it("flags a step up as a bounce back when the case was stepped down within 12 months", async () => {
    clock.set("2026-01-10T09:00:00Z");
    const p = await people();
    const down = await submitCompleteRequest(deps(), p.referrer, "step_down", p.crewe.id, {
      details: { consentDay: "5", consentMonth: "1", consentYear: "2026" },
    });
    let version = (await viewCase(deps(), actorFor(p.chair), down.reference)).case.version;
    await recordDecision(deps(), actorFor(p.chair), down.reference, {
      requestId: down.requestId,
      version,
      outcome: "step_down_agreed_early_help",
      reasons: "Plan complete",
      riskHolderChoice: { name: "Early Help Team North", role: "team manager", agency: "Children's Social Care" },
    });
    clock.set("2026-11-23T09:00:00Z");
    const up = await submitCompleteRequest(deps(), p.referrer, "step_up", p.crewe.id, {
      child: { existingReference: down.reference },
    });
    expect(up.reference).toBe(down.reference);
    expect(up.bounceBack).toBe(true);
    version = (await viewCase(deps(), actorFor(p.chair), down.reference)).case.version;
    expect(version).toBeGreaterThan(1);
  });

  it("refuses a second open request on the same case", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await people();
    const first = await submitCompleteRequest(deps(), p.referrer, "step_up", p.crewe.id);
    await expect(
      submitCompleteRequest(deps(), p.referrer, "step_up", p.crewe.id, { child: { existingReference: first.reference } }),
    ).rejects.toThrowError(FormError);
  });
});
