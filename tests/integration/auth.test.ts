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

  it("locks an email for 15 minutes after 5 failures within 15 minutes, even against the right password", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await createUser(t.db, { email: "locked@example.test" });
    for (let i = 0; i < 4; i++) {
      expect(await signIn(deps(), { email: "locked@example.test", password: "bad", ip })).toMatchObject({
        reason: "incorrect",
      });
      clock.advance(MINUTE);
    }
    const fifth = await signIn(deps(), { email: "locked@example.test", password: "bad", ip });
    expect(fifth).toMatchObject({ ok: false, reason: "locked" });
    const fifthAt = clock.now().getTime();

    clock.advance(14 * MINUTE);
    const stillLocked = await signIn(deps(), { email: "locked@example.test", password: TEST_PASSWORD, ip });
    expect(stillLocked).toMatchObject({ ok: false, reason: "locked" });
    if (!stillLocked.ok && stillLocked.reason === "locked") {
      expect(stillLocked.until.getTime()).toBe(fifthAt + 15 * MINUTE);
    }
    expect(await listAuditEvents(t.db, { action: "sign_in.locked" })).toHaveLength(1);

    clock.advance(MINUTE + 1000);
    expect((await signIn(deps(), { email: "locked@example.test", password: TEST_PASSWORD, ip })).ok).toBe(true);
  });

  it("does not lock when the failures are spread over more than 15 minutes", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await createUser(t.db, { email: "slow@example.test" });
    for (let i = 0; i < 5; i++) {
      await signIn(deps(), { email: "slow@example.test", password: "bad", ip });
      clock.advance(4 * MINUTE);
    }
    expect((await signIn(deps(), { email: "slow@example.test", password: TEST_PASSWORD, ip })).ok).toBe(true);
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
