import { describe, expect, it } from "vitest";
import { insertAuditEvent, findFirstBrokenAuditRow } from "../../db/queries/audit";
import { fixedClock } from "../../app/lib/clock";
import { ConflictError, FormError } from "../../app/lib/errors";
import { validate } from "../../app/lib/validation";
import { agendaItemSchema } from "../../app/forms/panel";
import { editAgendaItem } from "../../app/services/agenda.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, createArea, createUser } from "../support/factories";
import { panelArea, parsed } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/*
 * Locks taken in opposite orders by two ordinary use cases must never meet in
 * a deadlock. The audit chain's lock used to be taken at the audit insert and
 * held to commit: a submission (audit first, then the agenda items' invites)
 * and a chair's change (agenda item first, then its audit row) could each wait
 * for the other. On the embedded database one connection runs everything in
 * turn, so only PostgreSQL can show it; the chain must still verify on both.
 */
describe.each(backends.filter((b) => b === "postgres"))("locks under concurrent use (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock, settings: { appUrl: "https://threshold.example.org" } });

  const audit = (action: "user.updated", userId: number) => ({
    at: clock.now(),
    actorUserId: userId,
    action,
    recordType: "user",
    recordId: userId,
    ip: null,
  });

  it("lets one transaction audit then lock a row while another locks that row then audits: both commit, the chain holds", async () => {
    const person = await createUser(t.db);
    // A row the audit insert itself does not touch (its foreign key would share-lock the person's).
    const area = await createArea(t.db);
    let audited!: () => void;
    let locked!: () => void;
    const auditedFirst = new Promise<void>((resolve) => (audited = resolve));
    const lockedFirst = new Promise<void>((resolve) => (locked = resolve));
    const auditThenLock = t.db.transaction().execute(async (trx) => {
      await insertAuditEvent(trx, audit("user.updated", person.id));
      audited();
      await lockedFirst;
      await trx.updateTable("areas").set({ name: "Renamed" }).where("id", "=", area.id).execute();
    });
    const lockThenAudit = t.db.transaction().execute(async (trx) => {
      await auditedFirst;
      await trx.selectFrom("areas").select("id").where("id", "=", area.id).forUpdate().execute();
      locked();
      // The other transaction is now waiting for this row.
      await sleep(300);
      await insertAuditEvent(trx, audit("user.updated", person.id));
    });
    const settled = await Promise.allSettled([auditThenLock, lockThenAudit]);
    expect(settled.map((s) => (s.status === "rejected" ? String(s.reason) : "committed"))).toEqual(["committed", "committed"]);
    expect((await findFirstBrokenAuditRow(t.db)).broken).toBeNull();
  });

  it("runs a referrer submitting and a chair changing the same panel's agenda side by side with no failure but stale forms", async () => {
    const p = await panelArea(t.db, deps());
    const first = await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    const placed = await t.db
      .selectFrom("agenda_items")
      .select("panel_id")
      .where("request_id", "=", first.requestId)
      .executeTakeFirstOrThrow();
    const seconds = Number(process.env.SOAK_SECONDS ?? 12);
    const until = Date.now() + seconds * 1000;
    const failures: string[] = [];
    let submitted = 1;
    let changed = 0;
    let stale = 0;
    const referrer = async (who: typeof p.referrer) => {
      while (Date.now() < until) {
        try {
          await submitCompleteRequest(deps(), who, "step_up", p.area.id);
          submitted++;
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const chair = async () => {
      while (Date.now() < until) {
        // The first items, which fit the panel's time whatever is added after them.
        const items = await t.db
          .selectFrom("agenda_items")
          .select("id")
          .where("panel_id", "=", placed.panel_id)
          .where("status", "=", "listed")
          .orderBy("position")
          .limit(3)
          .execute();
        const item = items[changed % items.length]!;
        const { version } = await t.db.selectFrom("panels").select("version").where("id", "=", placed.panel_id).executeTakeFirstOrThrow();
        const slot = await t.db.selectFrom("agenda_items").select("slot_minutes").where("id", "=", item.id).executeTakeFirstOrThrow();
        // Invite the nurse to the item, or take her off it: each change re-sends invites, as on the page.
        const form = { version: String(version), slotMinutes: String(slot.slot_minutes), userIds: changed % 2 ? [] : [String(p.nurse.id)] };
        try {
          await editAgendaItem(deps(), actorFor(p.chair), placed.panel_id, item.id, parsed(validate(agendaItemSchema, form)));
          changed++;
        } catch (error) {
          // Someone else changed the agenda since it was read: the chair is asked to look again, as on the page.
          if (error instanceof ConflictError) stale++;
          else failures.push(error instanceof FormError ? JSON.stringify(error.fieldErrors) : String(error));
        }
      }
    };
    const secondReferrer = await createUser(t.db, { role: "professional", areaId: p.area.id });
    await Promise.all([referrer(p.referrer), referrer(secondReferrer), chair()]);
    console.log(`soak ${seconds}s: ${submitted} submitted, ${changed} agenda changes, ${stale} stale forms, ${failures.length} failures`);
    expect(failures).toEqual([]);
    expect(submitted).toBeGreaterThan(5);
    expect(changed).toBeGreaterThan(5);
    expect((await findFirstBrokenAuditRow(t.db)).broken).toBeNull();
  }, 120_000);
});
