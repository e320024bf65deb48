import { describe, expect, it } from "vitest";
import { listAuditEvents } from "../../db/queries/audit";
import { fixedClock, MINUTE } from "../../app/lib/clock";
import { resolveSession, signIn, signOut } from "../../app/services/auth.server";
import { backends, useTestDatabase } from "../support/database";
import { createUser, TEST_PASSWORD } from "../support/factories";

describe.each(backends)("signing in (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock });
  const ip = "203.0.113.7";

  it("signs in with the right password whatever the email's case, and the session identifies the user", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const user = await createUser(t.db, { email: "Rita.Referrer@example.test" });
    const result = await signIn(deps(), { email: "  rita.referrer@EXAMPLE.test ", password: TEST_PASSWORD, ip });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const session = await resolveSession({ ...deps(), idleMinutes: 30 }, result.token);
    expect(session?.user.id).toBe(user.id);
    const audit = await listAuditEvents(t.db, { action: "sign_in.succeeded" });
    expect(audit).toHaveLength(1);
    expect(audit[0].ip).toBe(ip);
  });

  it("gives the same answer for a wrong password and an unknown email, and audits both", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await createUser(t.db, { email: "known@example.test" });
    const wrong = await signIn(deps(), { email: "known@example.test", password: "nope", ip });
    const unknown = await signIn(deps(), { email: "unknown@example.test", password: "nope", ip });
    expect(wrong).toEqual({ ok: false, reason: "incorrect" });
    expect(unknown).toEqual({ ok: false, reason: "incorrect" });
    expect(await listAuditEvents(t.db, { action: "sign_in.failed" })).toHaveLength(2);
  });

  it("slows repeated failures from one address with a growing wait, never locking the person out from elsewhere", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await createUser(t.db, { email: "slowed@example.test" });
    for (let i = 0; i < 2; i++) {
      expect(await signIn(deps(), { email: "slowed@example.test", password: "bad", ip })).toMatchObject({ reason: "incorrect" });
    }
    // The third failure in a row starts a 10-second wait; the right password during it is not tried, nor counted.
    const third = await signIn(deps(), { email: "slowed@example.test", password: "bad", ip });
    expect(third).toMatchObject({ ok: false, reason: "throttled", until: new Date(clock.now().getTime() + 10_000) });
    expect(await signIn(deps(), { email: "slowed@example.test", password: TEST_PASSWORD, ip })).toMatchObject({ reason: "throttled" });
    expect(await listAuditEvents(t.db, { action: "sign_in.throttled" })).toHaveLength(1);
    // Each further failure doubles the wait.
    clock.advance(11_000);
    expect(await signIn(deps(), { email: "slowed@example.test", password: "bad", ip })).toMatchObject({
      reason: "throttled",
      until: new Date(clock.now().getTime() + 20_000),
    });
    // Someone failing from another address cannot keep the owner out: her own address is unaffected by them.
    for (let i = 0; i < 10; i++) await signIn(deps(), { email: "slowed@example.test", password: "bad", ip: "198.51.100.66" });
    clock.advance(21_000);
    expect((await signIn(deps(), { email: "slowed@example.test", password: TEST_PASSWORD, ip })).ok).toBe(true);
    // A success clears the count.
    expect(await signIn(deps(), { email: "slowed@example.test", password: "bad", ip })).toMatchObject({ reason: "incorrect" });
  });

  it("never waits longer than 15 minutes, and forgets failures after an hour", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await createUser(t.db, { email: "patient@example.test" });
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const result = await signIn(deps(), { email: "patient@example.test", password: "bad", ip });
      if (!result.ok && result.reason === "throttled") {
        waits.push(result.until.getTime() - clock.now().getTime());
        clock.set(new Date(result.until.getTime() + 1000)); // tries again once allowed
      }
    }
    expect(waits.slice(0, 4)).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(Math.max(...waits)).toBe(15 * 60_000);
    clock.advance(61 * 60_000);
    expect((await signIn(deps(), { email: "patient@example.test", password: TEST_PASSWORD, ip })).ok).toBe(true);
  });

  it("refuses a deactivated user and a user with no password yet", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await createUser(t.db, { email: "gone@example.test", active: false });
    await createUser(t.db, { email: "invited@example.test", password: null });
    expect(await signIn(deps(), { email: "gone@example.test", password: TEST_PASSWORD, ip })).toMatchObject({
      reason: "incorrect",
    });
    expect(await signIn(deps(), { email: "invited@example.test", password: "", ip })).toMatchObject({
      reason: "incorrect",
    });
  });

  it("ends a session after the idle timeout, and keeps an active one alive", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await createUser(t.db, { email: "idle@example.test" });
    const result = await signIn(deps(), { email: "idle@example.test", password: TEST_PASSWORD, ip });
    if (!result.ok) throw new Error("sign-in failed");
    const session = () => resolveSession({ ...deps(), idleMinutes: 30 }, result.token);

    clock.advance(25 * MINUTE);
    expect(await session()).not.toBeNull(); // activity refreshes the idle timer
    clock.advance(25 * MINUTE);
    expect(await session()).not.toBeNull();
    clock.advance(31 * MINUTE);
    expect(await session()).toBeNull();
    clock.advance(-31 * MINUTE);
    expect(await session()).toBeNull(); // the expired session was removed, not just hidden
  });

  it("replaces the previous session on sign-in and removes it on sign-out", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const user = await createUser(t.db, { email: "rotate@example.test" });
    const first = await signIn(deps(), { email: "rotate@example.test", password: TEST_PASSWORD, ip });
    if (!first.ok) throw new Error("sign-in failed");
    const firstSession = await resolveSession({ ...deps(), idleMinutes: 30 }, first.token);
    const second = await signIn(deps(), {
      email: "rotate@example.test",
      password: TEST_PASSWORD,
      ip,
      previousSessionId: firstSession!.sessionId,
    });
    if (!second.ok) throw new Error("sign-in failed");
    expect(second.token).not.toBe(first.token);
    expect(await resolveSession({ ...deps(), idleMinutes: 30 }, first.token)).toBeNull();
    const current = await resolveSession({ ...deps(), idleMinutes: 30 }, second.token);
    await signOut(deps(), { sessionId: current!.sessionId, userId: user.id, ip });
    expect(await resolveSession({ ...deps(), idleMinutes: 30 }, second.token)).toBeNull();
  });

  it("answers 'too many attempts' to one address that tries many emails", async () => {
    clock.set("2026-11-23T09:00:00Z");
    for (let i = 0; i < 50; i++) {
      await t.db
        .insertInto("sign_in_attempts")
        .values({ email: `spray${i}@example.test`, ip, succeeded: false, at: clock.now() })
        .execute();
    }
    expect(await signIn(deps(), { email: "any@example.test", password: "x", ip })).toEqual({
      ok: false,
      reason: "rate_limited",
    });
    expect((await signIn(deps(), { email: "any@example.test", password: "x", ip: "198.51.100.1" })).ok).toBe(false);
    expect(await signIn(deps(), { email: "any@example.test", password: "x", ip: "198.51.100.1" })).toMatchObject({
      reason: "incorrect",
    });
  });
});
