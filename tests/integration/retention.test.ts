import { describe, expect, it } from "vitest";
import { listAuditEvents } from "../../db/queries/audit";
import { REMOVED } from "../../db/queries/retention";
import { fixedClock } from "../../app/lib/clock";
import { anonymiseExpiredCases } from "../../app/services/retention.server";
import { backends, useTestDatabase } from "../support/database";
import { panelArea } from "../support/panels";
import { upsertInformationReturn } from "../../db/queries/pack";
import { submitCompleteRequest } from "../support/requests";

describe.each(backends)("retention (%s)", (backend) => {
  const t = useTestDatabase(backend);

  /** A case with a child's details, a decision and minutes naming it, closed on the day given. */
  async function closedCase(closedOn: string) {
    const clock = fixedClock("2017-01-09T09:00:00Z");
    const { area, referrer, nurse } = await panelArea(t.db, { db: t.db, clock: fixedClock("2026-11-23T09:00:00Z") });
    const { reference, panelId } = await submitCompleteRequest({ db: t.db, clock }, referrer, "step_up", area.id, {
      child: { firstName: "Jamie", lastName: "Example" },
    });
    const c = await t.db.selectFrom("cases").select(["id"]).where("reference", "=", reference).executeTakeFirstOrThrow();
    // What health told the panel about the family, in its pack.
    const item = await t.db.selectFrom("agenda_items").select("id").where("case_id", "=", c.id).executeTakeFirstOrThrow();
    await upsertInformationReturn(t.db, {
      panelId: panelId!,
      itemId: item.id,
      userId: nurse.id,
      agencyId: nurse.agencyId,
      body: "Jamie's mother told the health visitor about the move",
      at: clock.now(),
    });
    const request = await t.db.selectFrom("requests").select("id").where("case_id", "=", c.id).executeTakeFirstOrThrow();
    await t.db
      .insertInto("decisions")
      .values({
        request_id: request.id,
        case_id: c.id,
        outcome: "step_up_agreed",
        reasons: "Jamie's school reports escalating concerns at home",
        risk_holder: "Sam Social Worker",
        decided_by_user_id: referrer.id,
        decided_at: new Date("2017-01-20T10:00:00Z"),
        panel_id: null,
        agenda_item_id: null,
        discussion: "Mum said the family moved to 12 Acacia Avenue",
        lead_practitioner: null,
        transfer_date: null,
        review_date: null,
        challenge: null,
        superseded_by_decision_id: null,
        corrects_decision_id: null,
        correction_reason: null,
        risk_holder_user_id: null,
        lead_practitioner_user_id: null,
      })
      .execute();
    await t.db.updateTable("cases").set({ status: "closed" }).where("id", "=", c.id).execute();
    await t.db
      .insertInto("case_transitions")
      .values({
        case_id: c.id,
        at: new Date(`${closedOn}T12:00:00Z`),
        actor_user_id: null,
        event: "CLOSE",
        from_status: "social_care",
        to_status: "closed",
        reason: "Family moved to Leeds",
        request_id: null,
      })
      .execute();
    return { id: c.id, reference };
  }

  it("removes names, dates of birth, addresses and free text seven years after closing, keeping what the figures count", async () => {
    const old = await closedCase("2019-06-01");
    const recent = await closedCase("2020-06-01");
    const countsBefore = await figures();
    const clock = fixedClock("2026-11-23T03:00:00Z");
    expect(await anonymiseExpiredCases({ db: t.db, clock })).toEqual({ anonymised: 1 });

    const kept = await t.db.selectFrom("cases").selectAll().where("id", "=", old.id).executeTakeFirstOrThrow();
    expect(kept).toMatchObject({
      reference: old.reference,
      status: "closed",
      child_first_name: null,
      child_last_name: null,
      child_date_of_birth: null,
      child_address: null,
    });
    expect(kept.anonymised_at).toEqual(clock.now());
    const request = await t.db
      .selectFrom("requests")
      .select(["answers", "kind", "submitted_at"])
      .where("case_id", "=", old.id)
      .executeTakeFirstOrThrow();
    expect(request.answers).toEqual({});
    expect(request.submitted_at).not.toBeNull();
    const decision = await t.db.selectFrom("decisions").selectAll().where("case_id", "=", old.id).executeTakeFirstOrThrow();
    expect(decision).toMatchObject({ outcome: "step_up_agreed", reasons: REMOVED, discussion: null, risk_holder: REMOVED });
    const text = JSON.stringify(await t.db.selectFrom("case_transitions").selectAll().where("case_id", "=", old.id).execute());
    expect(text).not.toContain("Leeds");
    const returns = await t.db.selectFrom("information_returns").select("body").orderBy("id").execute();
    expect(returns.map((r) => r.body)).toEqual([REMOVED, "Jamie's mother told the health visitor about the move"]);
    // Every figure made of these rows is the same after.
    expect(await figures()).toEqual(countsBefore);
    // The other case is within its period; nothing is done twice; the removal is on the audit trail.
    const other = await t.db.selectFrom("cases").select("child_first_name").where("id", "=", recent.id).executeTakeFirstOrThrow();
    expect(other.child_first_name).toBe("Jamie");
    expect(await anonymiseExpiredCases({ db: t.db, clock })).toEqual({ anonymised: 0 });
    const audit = await listAuditEvents(t.db, { action: "case.anonymised" });
    expect(audit.map((a) => a.record_id)).toEqual([old.reference]);

    // A council keeping ten years waits longer.
    await t.db.updateTable("cases").set({ anonymised_at: null }).where("id", "=", recent.id).execute();
    expect(await anonymiseExpiredCases({ db: t.db, clock, settings: { appUrl: "", retentionYears: 10 } })).toEqual({ anonymised: 0 });
  });

  async function figures() {
    const [cases, decisions, transitions, requests] = await Promise.all([
      t.db.selectFrom("cases").select(["reference", "status", "area_id", "created_at"]).orderBy("id").execute(),
      t.db.selectFrom("decisions").select(["outcome", "decided_at", "case_id"]).orderBy("id").execute(),
      t.db.selectFrom("case_transitions").select(["to_status", "from_status", "at", "case_id"]).orderBy("id").execute(),
      t.db.selectFrom("requests").select(["kind", "status", "submitted_at", "case_id"]).orderBy("id").execute(),
    ]);
    return { cases, decisions, transitions, requests };
  }
});
