import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { runHousekeeping } from "../../app/services/housekeeping.server";
import { seedDemoCases } from "../../app/seed/demo-cases";
import { seedDemoSchedules } from "../../app/seed/demo-panels";
import { useTestDatabase } from "../support/database";
import { seedDemoUsers } from "../support/server";

/**
 * The whole demo, then three weeks of the worker's clock: every kind of email
 * and invite the product sends, checked for the demo children's details.
 */
describe("every email and invite in the demo (embedded)", () => {
  const t = useTestDatabase("embedded");

  it("sends every kind, each to one address, none naming a child or giving a date of birth or address", async () => {
    const now = new Date("2026-11-23T09:00:00Z");
    await seedDemoUsers(t.db);
    await seedDemoSchedules(t.db, now);
    await seedDemoCases(t.db, now);
    const deps = (at: Date) => ({ db: t.db, clock: fixedClock(at), settings: { appUrl: "https://threshold.example.org" } });
    for (let day = 0; day <= 21; day++) {
      await runHousekeeping(deps(DateTime.fromJSDate(now).plus({ days: day, hours: 1 }).toJSDate()));
    }

    const mail = await t.db.selectFrom("outbox").select(["kind", "recipient", "subject", "text_body", "html_body", "ics"]).execute();
    const kinds = new Set(mail.map((m) => m.kind));
    for (const kind of [
      "panel_invite",
      "slot_invite",
      "decision_recorded",
      "action_assigned",
      "minutes_published",
      "extraordinary_called",
      "challenge_raised",
      "challenge_escalated",
      "challenge_overdue",
      "front_door_referral",
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    expect([...kinds].some((k) => k === "action_overdue" || k === "action_digest")).toBe(true);
    expect(mail.every((m) => /^[^,;\s]+@[^,;\s]+$/.test(m.recipient))).toBe(true);

    const children = await t.db
      .selectFrom("cases")
      .select(["child_first_name", "child_last_name", "child_date_of_birth", "child_address"])
      .execute();
    const secrets = new Set<string>();
    for (const c of children) {
      if (c.child_first_name) secrets.add(c.child_first_name);
      if (c.child_last_name) secrets.add(c.child_last_name);
      if (c.child_address) secrets.add(c.child_address);
      if (c.child_date_of_birth) {
        const dob = DateTime.fromISO(c.child_date_of_birth);
        for (const format of ["d MMMM yyyy", "dd/MM/yyyy", "yyyy-MM-dd", "yyyyMMdd"]) secrets.add(dob.toFormat(format));
      }
    }
    expect(secrets.size).toBeGreaterThan(20);
    const leaks: string[] = [];
    for (const m of mail) {
      const everything = [m.subject, m.text_body, m.html_body, m.ics ?? ""].join("\n");
      for (const secret of secrets) {
        // Whole words only: a first name like "Ava" must not match inside another word.
        if (new RegExp(`(^|[^A-Za-z])${secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^A-Za-z]|$)`).test(everything)) {
          leaks.push(`${m.kind} to ${m.recipient}: ${secret}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});
