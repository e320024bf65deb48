import { describe, expect, it } from "vitest";
import { listAuditEvents } from "../../db/queries/audit";
import { fixedClock } from "../../app/lib/clock";
import { FormError } from "../../app/lib/errors";
import { resolveSession, setPasswordWithToken, signIn } from "../../app/services/auth.server";
import { createUser as createUserService, editUser, saveAgency, saveArea } from "../../app/services/admin.server";
import { newUserSchema } from "../../app/forms/admin";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, createAgency, createArea, createUser, TEST_PASSWORD } from "../support/factories";

describe.each(backends)("administering users, agencies and areas (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock });

  it("adds a user who can then sign in, and audits it", async () => {
    const admin = await createUser(t.db, { role: "admin" });
    const agency = await createAgency(t.db, "health");
    const area = await createArea(t.db, "Crewe");
    const input = newUserSchema.parse({
      name: "Nadia Nurse",
      email: "nadia@example.test",
      role: "partner",
      agencyId: String(agency.id),
      areaId: String(area.id),
      password: "a long enough password",
    });
    const id = await createUserService(deps(), actorFor(admin), input);
    expect((await signIn(deps(), { email: "NADIA@example.test", password: "a long enough password", ip: null })).ok).toBe(true);
    const audit = await listAuditEvents(t.db, { action: "user.created" });
    expect(audit.map((a) => a.record_id)).toEqual([String(id)]);
  });

  it("refuses a second user with the same email in another case, saving nothing", async () => {
    const admin = await createUser(t.db, { role: "admin" });
    await createUser(t.db, { email: "taken@example.test" });
    const agency = await createAgency(t.db);
    const input = newUserSchema.parse({ name: "X", email: "TAKEN@example.test", role: "partner", agencyId: String(agency.id) });
    await expect(createUserService(deps(), actorFor(admin), input)).rejects.toThrowError(FormError);
    const count = await t.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
  });

  it("lets only administrators manage users", async () => {
    const professional = await createUser(t.db, { role: "professional" });
    const agency = await createAgency(t.db);
    const input = newUserSchema.parse({ name: "X", email: "x@example.test", role: "partner", agencyId: String(agency.id) });
    await expect(createUserService(deps(), actorFor(professional), input)).rejects.toMatchObject({ status: 403 });
  });

  it("signs a deactivated user out at once", async () => {
    const admin = await createUser(t.db, { role: "admin" });
    const user = await createUser(t.db, { email: "leaver@example.test" });
    const result = await signIn(deps(), { email: "leaver@example.test", password: TEST_PASSWORD, ip: null });
    if (!result.ok) throw new Error("sign-in failed");
    await editUser(deps(), actorFor(admin), user.id, {
      name: user.name,
      email: user.email,
      role: user.role,
      agencyId: user.agencyId,
      areaId: null,
      active: false,
    });
    expect(await resolveSession({ ...deps(), idleMinutes: 30 }, result.token)).toBeNull();
    expect(await listAuditEvents(t.db, { action: "user.deactivated" })).toHaveLength(1);
  });

  it("stops an administrator removing their own access", async () => {
    const admin = await createUser(t.db, { role: "admin" });
    await expect(
      editUser(deps(), actorFor(admin), admin.id, {
        name: admin.name,
        email: admin.email,
        role: "partner",
        agencyId: admin.agencyId,
        areaId: null,
        active: true,
      }),
    ).rejects.toThrowError(FormError);
  });

  it("refuses duplicate agency and area names", async () => {
    const admin = await createUser(t.db, { role: "admin" });
    await saveArea(deps(), actorFor(admin), { name: "Crewe" });
    await expect(saveArea(deps(), actorFor(admin), { name: "crewe" })).rejects.toThrowError(FormError);
    await saveAgency(deps(), actorFor(admin), { name: "Police", kind: "police", active: true });
    await expect(saveAgency(deps(), actorFor(admin), { name: "POLICE", kind: "police", active: true })).rejects.toThrowError(FormError);
  });
});

describe.each(backends)("inviting a user by email (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock, settings: { appUrl: "https://threshold.example.gov.uk" } });

  it("emails a one-time link that sets the password, then lets the person sign in", async () => {
    const admin = await createUser(t.db, { role: "admin" });
    const agency = await createAgency(t.db, "health");
    const input = newUserSchema.parse({ name: "Ivy Invited", email: "ivy@example.test", role: "partner", agencyId: String(agency.id) });
    await createUserService(deps(), actorFor(admin), input);
    const [email] = await t.db.selectFrom("outbox").selectAll().execute();
    expect(email.recipient).toBe("ivy@example.test");
    const token = email.text_body.match(/\/set-password\/([A-Za-z0-9_-]+)/)![1];
    expect(await signIn(deps(), { email: "ivy@example.test", password: "a brand new password", ip: null })).toMatchObject({ ok: false });
    expect(await setPasswordWithToken(deps(), { token, password: "a brand new password", ip: null })).toMatchObject({ ok: true });
    expect((await signIn(deps(), { email: "ivy@example.test", password: "a brand new password", ip: null })).ok).toBe(true);
    expect(await setPasswordWithToken(deps(), { token, password: "another password!", ip: null })).toEqual({ ok: false });
  });

  it("refuses an invitation link after it expires", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const admin = await createUser(t.db, { role: "admin" });
    const agency = await createAgency(t.db, "health");
    const input = newUserSchema.parse({ name: "Late", email: "late@example.test", role: "partner", agencyId: String(agency.id) });
    await createUserService(deps(), actorFor(admin), input);
    const [email] = await t.db.selectFrom("outbox").selectAll().execute();
    const token = email.text_body.match(/\/set-password\/([A-Za-z0-9_-]+)/)![1];
    clock.advance(8 * 24 * 3600_000);
    expect(await setPasswordWithToken(deps(), { token, password: "a brand new password", ip: null })).toEqual({ ok: false });
  });
});
