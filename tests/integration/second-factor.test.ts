import { describe, expect, it } from "vitest";
import { listAuditEvents } from "../../db/queries/audit";
import { saveRoleSetting } from "../../db/queries/second-factor";
import { fixedClock } from "../../app/lib/clock";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { currentCode, secondFactorRequired } from "../../app/services/second-factor.server";
import { listAwaitingPanel } from "../../db/queries/requests";
import { createUser as adminCreateUser } from "../../app/services/admin.server";
import { backends, useTestDatabase } from "../support/database";
import { createArea, createUser } from "../support/factories";
import { HttpClient } from "../support/http-client";
import { submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

const CHAIR = "chair.crewe@example.org";

/** The key a person would type into their authenticator app, read off the set-up page. */
function manualKeyOn(html: string): string {
  const match = html.match(/id="manual-key">([A-Z2-7 ]+)</);
  if (!match) throw new Error("No manual key on the page");
  return match[1].replace(/ /g, "");
}

function recoveryCodesOn(html: string): string[] {
  return [...html.matchAll(/<code>([A-Z0-9-]{19})<\/code>/g)].map((m) => m[1]);
}

describe.each(backends)("two-factor sign-in (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });

  /** Signs in with the password, and when asked to, sets an authenticator app up; returns its key and recovery codes. */
  async function setUpTwoFactor(c: HttpClient, email: string) {
    const response = await c.signIn(email, DEMO_PASSWORD);
    expect(response.headers.get("location")).toBe("/sign-in/set-up-two-factor?returnTo=%2F");
    const page = await (await c.get("/sign-in/set-up-two-factor?returnTo=%2F")).text();
    expect(page).toContain("<svg");
    const key = manualKeyOn(page);
    const done = await c.submit("/sign-in/set-up-two-factor?returnTo=%2F", {
      intent: "confirm",
      code: currentCode(key, clock.now()),
      returnTo: "/",
    });
    expect(done.status).toBe(200);
    const codes = recoveryCodesOn(await done.text());
    return { key, codes };
  }

  it("makes someone whose role requires it set up an app first, reaching nothing else until they do", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await seedDemoUsers(t.db);
    await saveRoleSetting(t.db, "team_manager", true, clock.now());
    const c = new HttpClient(server.url);
    const signedIn = await c.signIn(CHAIR, DEMO_PASSWORD);
    expect(signedIn.headers.get("location")).toBe("/sign-in/set-up-two-factor?returnTo=%2F");
    // Half signed in: every page, and every data request, leads back to set-up.
    for (const path of ["/", "/panels", "/awaiting-panel", "/account", "/sign-in/two-factor", "/cases/CASE-0001"]) {
      const response = await c.get(path);
      if (path === "/sign-in/two-factor") {
        expect(response.headers.get("location")).toMatch(/^\/sign-in\/set-up-two-factor/);
        continue;
      }
      expect(response.status, path).toBe(303);
      expect(response.headers.get("location"), path).toBe("/sign-in/set-up-two-factor");
    }
    expect((await c.get("/panels?_data=routes%2Fpanels._index")).headers.get("x-remix-redirect")).toBe("/sign-in/set-up-two-factor");

    const page = await (await c.get("/sign-in/set-up-two-factor?returnTo=%2F")).text();
    const key = manualKeyOn(page);
    expect(key).toMatch(/^[A-Z2-7]{32}$/);
    const wrong = await c.submit("/sign-in/set-up-two-factor?returnTo=%2F", { intent: "confirm", code: "000000", returnTo: "/" });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain("The code is not right");

    const done = await c.submit("/sign-in/set-up-two-factor?returnTo=%2F", {
      intent: "confirm",
      code: currentCode(key, clock.now()),
      returnTo: "/",
    });
    const codes = recoveryCodesOn(await done.text());
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // A new session token and a new anti-forgery token once the second factor is given.
    const cookies = done.headers.getSetCookie().map((h) => h.split("=")[0]);
    expect(cookies).toEqual(expect.arrayContaining(["threshold_session", "threshold_csrf"]));
    expect(await (await c.get("/")).text()).toContain("Chris Crewe");
    // Codes are kept hashed, never as shown.
    const stored = await t.db.selectFrom("recovery_codes").select("code_hash").execute();
    expect(stored).toHaveLength(10);
    for (const row of stored) expect(codes.some((code) => row.code_hash.includes(code))).toBe(false);
    expect(await listAuditEvents(t.db, { action: "user.second_factor_set_up" })).toHaveLength(1);
  });

  it("asks for a code after the password; a code works once, a recovery code once, and too many wrong codes end the attempt", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await seedDemoUsers(t.db);
    await saveRoleSetting(t.db, "team_manager", true, clock.now());
    const { key, codes } = await setUpTwoFactor(new HttpClient(server.url), CHAIR);

    clock.set("2026-11-23T10:00:00Z");
    const c = new HttpClient(server.url);
    const csrfBefore = await c.csrfFrom("/sign-in");
    const first = await c.post("/sign-in", { csrf: csrfBefore, email: CHAIR, password: DEMO_PASSWORD, returnTo: "/panels" });
    expect(first.headers.get("location")).toBe("/sign-in/two-factor?returnTo=%2Fpanels");
    expect((await c.get("/panels")).headers.get("location")).toBe("/sign-in/two-factor");
    const wrong = await c.submit("/sign-in/two-factor", { code: "123456", returnTo: "/panels" });
    expect(wrong.status).toBe(401);
    const code = currentCode(key, clock.now());
    const right = await c.submit("/sign-in/two-factor", { code, returnTo: "/panels" });
    expect(right.status).toBe(302);
    expect(right.headers.get("location")).toBe("/panels");
    expect((await c.get("/panels")).status).toBe(200);
    // The token the sign-in form carried is no good now.
    expect(await c.csrfFrom("/panels")).not.toBe(csrfBefore);

    // The same code, seen over a shoulder, does not sign anyone else in.
    const other = new HttpClient(server.url);
    await other.signIn(CHAIR, DEMO_PASSWORD);
    expect((await other.submit("/sign-in/two-factor", { code, returnTo: "/" })).status).toBe(401);
    // A recovery code (typed in lower case, without dashes) works, and only once.
    const recovery = codes[0].toLowerCase().replace(/-/g, "");
    expect((await other.submit("/sign-in/two-factor", { code: recovery, returnTo: "/" })).status).toBe(302);
    const third = new HttpClient(server.url);
    await third.signIn(CHAIR, DEMO_PASSWORD);
    expect((await third.submit("/sign-in/two-factor", { code: recovery, returnTo: "/" })).status).toBe(401);
    // Five wrong codes in all end the half-signed-in session: the password is asked for again.
    // (Each after the throttle's wait, which wrong codes from this address start after three.)
    for (let i = 0; i < 3; i++) {
      clock.set(new Date(clock.now().getTime() + 60_000));
      expect((await third.submit("/sign-in/two-factor", { code: "000000", returnTo: "/" })).status).toBe(401);
    }
    clock.set(new Date(clock.now().getTime() + 60_000));
    const ended = await third.submit("/sign-in/two-factor", { code: "000000", returnTo: "/" });
    expect(ended.status).toBe(302);
    expect(ended.headers.get("location")).toBe("/sign-in?ended=codes");
    expect((await third.get("/")).headers.get("location")).toBe("/sign-in?returnTo=%2F");
    const failures = await listAuditEvents(t.db, { action: "sign_in.second_factor_failed" });
    expect(failures.length).toBe(7);
  });

  it("counts wrong codes per account and address across sessions: signing in again buys no fresh guesses", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await seedDemoUsers(t.db);
    await saveRoleSetting(t.db, "team_manager", true, clock.now());
    const { key } = await setUpTwoFactor(new HttpClient(server.url), CHAIR);
    clock.set("2026-11-23T10:00:00Z");
    // 75 wrong codes, a fresh sign-in before every pair: only the first three are checked, the rest wait.
    const statuses: number[] = [];
    for (let i = 0; i < 75; i++) {
      const c = new HttpClient(server.url);
      await c.signIn(CHAIR, DEMO_PASSWORD);
      statuses.push((await c.submit("/sign-in/two-factor", { code: String(100000 + i), returnTo: "/" })).status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3).every((s) => s === 429)).toBe(true);
    expect(await listAuditEvents(t.db, { action: "sign_in.second_factor_failed", limit: 500 })).toHaveLength(3);
    expect((await listAuditEvents(t.db, { action: "sign_in.throttled", limit: 500 })).length).toBe(72);
    // While waiting even the right code is not taken; after the wait it is.
    const owner = new HttpClient(server.url);
    await owner.signIn(CHAIR, DEMO_PASSWORD);
    const waiting = await owner.submit("/sign-in/two-factor", { code: currentCode(key, clock.now()), returnTo: "/" });
    expect(waiting.status).toBe(429);
    expect(await waiting.text()).toContain("Too many wrong codes: wait 10 seconds");
    clock.set("2026-11-23T10:00:30Z");
    expect((await owner.submit("/sign-in/two-factor", { code: currentCode(key, clock.now()), returnTo: "/" })).status).toBe(302);
  });

  it("slows and audits wrong current passwords on the change-password page", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await seedDemoUsers(t.db);
    const c = new HttpClient(server.url);
    await c.signIn("referrer@example.org", DEMO_PASSWORD);
    const attempt = (current: string) =>
      c.submit("/account/password", { current, password: "velvet kettle orbit lantern", confirm: "velvet kettle orbit lantern" });
    for (let i = 0; i < 3; i++) expect(await (await attempt(`wrong guess ${i}`)).text()).toContain("Your current password is not right");
    const slowed = await (await attempt(DEMO_PASSWORD)).text();
    expect(slowed).toContain("Too many wrong passwords: wait 10 seconds and try again");
    expect(await listAuditEvents(t.db, { action: "sign_in.current_password_failed" })).toHaveLength(3);
    clock.set("2026-11-23T09:00:11Z");
    expect((await attempt(DEMO_PASSWORD)).status).toBe(302);
  });

  it("lets an administrator reset a lost device (audited, signed out), after which the person sets it up again", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await seedDemoUsers(t.db);
    await saveRoleSetting(t.db, "team_manager", true, clock.now());
    const chairBrowser = new HttpClient(server.url);
    await setUpTwoFactor(chairBrowser, CHAIR);
    expect((await chairBrowser.get("/")).status).toBe(200);

    const admin = new HttpClient(server.url);
    await admin.signIn("admin@example.org", DEMO_PASSWORD);
    const chair = await loadDemoUser(t.db, CHAIR);
    const userPage = await (await admin.get(`/admin/users/${chair.id}`)).text();
    expect(userPage).toContain("uses an authenticator app");
    const csrf = await admin.csrfFrom(`/admin/users/${chair.id}`);
    const done = await admin.post(`/admin/users/${chair.id}/reset-two-factor`, { csrf });
    expect(done.headers.get("location")).toBe(`/admin/users/${chair.id}?done=reset`);
    expect((await chairBrowser.get("/")).status).toBe(303);
    const audit = await listAuditEvents(t.db, { action: "user.second_factor_reset" });
    expect(audit).toHaveLength(1);
    expect(audit[0].record_id).toBe(String(chair.id));
    const again = await new HttpClient(server.url).signIn(CHAIR, DEMO_PASSWORD);
    expect(again.headers.get("location")).toBe("/sign-in/set-up-two-factor?returnTo=%2F");
  });

  it("keeps the demo opening with a password alone, while an unset role requires a second factor in production", async () => {
    await seedDemoUsers(t.db);
    const signedIn = await new HttpClient(server.url).signIn(CHAIR, DEMO_PASSWORD);
    expect(signedIn.headers.get("location")).toBe("/");
    await t.db.deleteFrom("role_settings").execute();
    expect(await secondFactorRequired({ db: t.db, clock, settings: { appUrl: "", twoFactorByDefault: true } }, "partner")).toBe(true);
    expect(await secondFactorRequired({ db: t.db, clock, settings: { appUrl: "", twoFactorByDefault: false } }, "partner")).toBe(false);
  });

  it("refuses turning it off where the role requires it, and allows it where it does not", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await seedDemoUsers(t.db);
    await saveRoleSetting(t.db, "team_manager", true, clock.now());
    const c = new HttpClient(server.url);
    const { key } = await setUpTwoFactor(c, CHAIR);
    const page = await (await c.get("/account/two-factor")).text();
    expect(page).not.toContain("Turn off two-factor authentication");
    clock.advance(30_000);
    const refused = await c.submit("/account/two-factor", { intent: "turn-off", offCode: currentCode(key, clock.now()) });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("Your role must use two-factor authentication");

    await saveRoleSetting(t.db, "team_manager", false, clock.now());
    clock.advance(30_000);
    const off = await c.submit("/account/two-factor", { intent: "turn-off", offCode: currentCode(key, clock.now()) });
    expect(off.headers.get("location")).toBe("/account/two-factor?done=off");
    const next = await new HttpClient(server.url).signIn(CHAIR, DEMO_PASSWORD);
    expect(next.headers.get("location")).toBe("/");
  });

  it("signs a person out on every device when they ask", async () => {
    await seedDemoUsers(t.db);
    const laptop = new HttpClient(server.url);
    const phone = new HttpClient(server.url);
    await laptop.signIn(CHAIR, DEMO_PASSWORD);
    await phone.signIn(CHAIR, DEMO_PASSWORD);
    const csrf = await laptop.csrfFrom("/account");
    const done = await laptop.post("/sign-out", { csrf, everywhere: "yes" });
    expect(done.headers.get("location")).toBe("/sign-in?signedOut=everywhere");
    expect((await phone.get("/")).status).toBe(303);
    expect((await laptop.get("/")).status).toBe(303);
    expect(await listAuditEvents(t.db, { action: "sign_out.everywhere" })).toHaveLength(1);
  });
});

describe.each(backends)("area scope (%s)", (backend) => {
  const t = useTestDatabase(backend);

  it("shows a manager with no area and not made service-wide no cases, and one made service-wide every area's", async () => {
    const area = await createArea(t.db);
    const referrer = await createUser(t.db, { areaId: area.id });
    await submitCompleteRequest({ db: t.db, clock: fixedClock("2026-11-23T09:00:00Z") }, referrer, "step_up", area.id);
    const noArea = await createUser(t.db, { role: "team_manager", areaId: null, allAreas: false });
    const serviceWide = await createUser(t.db, { role: "service_manager", areaId: null, allAreas: true });
    expect(await listAwaitingPanel(t.db, noArea)).toHaveLength(0);
    expect(await listAwaitingPanel(t.db, serviceWide)).toHaveLength(1);
  });

  it("refuses to make someone who is not a manager act for all areas", async () => {
    const admin = await createUser(t.db, { role: "admin" });
    const agency = await t.db
      .insertInto("agencies")
      .values({ name: "A school", kind: "education" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await expect(
      adminCreateUser(
        { db: t.db, clock: fixedClock("2026-11-23T09:00:00Z") },
        { user: admin, ip: null },
        {
          name: "Pat Partner",
          email: "pat@example.test",
          role: "partner",
          agencyId: agency.id,
          areaId: "all",
          active: true,
          password: undefined,
        },
      ),
    ).rejects.toMatchObject({ fieldErrors: { areaId: expect.stringContaining("Only a manager") } });
  });
});
