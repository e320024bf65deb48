import { describe, expect, it } from "vitest";
import { fixedClock, MINUTE } from "../../app/lib/clock";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { backends, useTestDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { seedDemoUsers, useTestServer } from "../support/server";

describe.each(backends)("the web server (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });
  const client = async () => {
    await seedDemoUsers(t.db);
    return new HttpClient(server.url);
  };

  it("answers /healthz with ok while the database answers", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("sends anyone signed out to sign in, from every page but sign-in and health", async () => {
    const c = await client();
    for (const path of ["/", "/admin/users", "/no-such-page"]) {
      const response = await c.get(path);
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe(`/sign-in?returnTo=${encodeURIComponent(path)}`);
    }
    expect((await c.get("/sign-in")).status).toBe(200);
  });

  it("signs in, shows the role's navigation, returns to the page asked for, and signs out", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const c = await client();
    const csrf = await c.csrfFrom("/sign-in?returnTo=%2Fadmin%2Fusers");
    const response = await c.post("/sign-in", {
      csrf,
      email: "admin@example.org",
      password: DEMO_PASSWORD,
      returnTo: "/admin/users",
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/admin/users");
    const cookie = response.headers.getSetCookie().find((h) => h.startsWith("threshold_session="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const home = await (await c.get("/")).text();
    expect(home).toContain("Alex Admin");
    expect(home).toContain('href="/admin/users"');

    const out = await c.post("/sign-out", { csrf: await c.csrfFrom("/") });
    expect(out.headers.get("location")).toBe("/sign-in");
    expect((await c.get("/")).status).toBe(303);
  });

  it("lets a signed-out person open an invitation link, and says when it has expired", async () => {
    const c = await client();
    const response = await c.get("/set-password/not-a-real-token");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("This link has expired");
  });

  it("never follows a return address off the site", async () => {
    const c = await client();
    const csrf = await c.csrfFrom("/sign-in");
    const response = await c.post("/sign-in", {
      csrf,
      email: "admin@example.org",
      password: DEMO_PASSWORD,
      returnTo: "//evil.example/steal",
    });
    expect(response.headers.get("location")).toBe("/");
  });

  it("says 'Email or password is incorrect' next to the field and keeps the email typed", async () => {
    const c = await client();
    const response = await c.submit("/sign-in", { email: "referrer@example.org", password: "wrong", returnTo: "/" });
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain("There is a problem");
    expect(html).toContain('href="#email">Email or password is incorrect');
    expect(html).toContain('value="referrer@example.org"');
    expect(html).not.toContain("wrong");
  });

  it("says which fields are missing when the form is empty", async () => {
    const c = await client();
    const html = await (await c.submit("/sign-in", { email: "", password: "", returnTo: "/" })).text();
    expect(html).toContain("Enter your email address");
    expect(html).toContain("Enter your password");
  });

  it("slows repeated wrong passwords with a clear message, and a forged X-Forwarded-For does not escape the wait", async () => {
    clock.set("2026-11-23T10:00:00Z");
    const c = await client();
    for (let i = 0; i < 2; i++) {
      await c.submit("/sign-in", { email: "partner.health@example.org", password: `wrong${i}`, returnTo: "/" });
    }
    const slowed = await c.submit("/sign-in", { email: "partner.health@example.org", password: "wrong", returnTo: "/" });
    expect(slowed.status).toBe(429);
    expect(await slowed.text()).toContain("You have entered an incorrect password several times. Wait 10 seconds before trying again.");
    // Without trusted proxies the client's own claim about its address is ignored.
    const csrf = await c.csrfFrom("/sign-in");
    const forged = await c.post(
      "/sign-in",
      { csrf, email: "partner.health@example.org", password: DEMO_PASSWORD, returnTo: "/" },
      { "X-Forwarded-For": "198.51.100.99" },
    );
    expect(forged.status).toBe(429);
    clock.advance(11_000);
    const after = await c.submit("/sign-in", { email: "partner.health@example.org", password: DEMO_PASSWORD, returnTo: "/" });
    expect(after.status).toBe(302);
  });

  it("refuses a form without its anti-forgery token, or from another site", async () => {
    const c = await client();
    const noToken = await c.post("/sign-in", { email: "admin@example.org", password: DEMO_PASSWORD });
    expect(noToken.status).toBe(403);
    const csrf = await c.csrfFrom("/sign-in");
    const crossSite = await c.post(
      "/sign-in",
      { csrf, email: "admin@example.org", password: DEMO_PASSWORD },
      { origin: "https://evil.example" },
    );
    expect(crossSite.status).toBe(403);
  });

  it("answers 403 with a GOV.UK page when a role may not use a page", async () => {
    clock.set("2026-11-23T11:00:00Z");
    const c = await client();
    await c.signIn("referrer@example.org", DEMO_PASSWORD);
    const response = await c.get("/admin/users");
    expect(response.status).toBe(403);
    const html = await response.text();
    expect(html).toContain("You do not have permission to see this page");
    expect(html).toContain("govuk-template");
    expect(html).not.toContain('href="/admin/users"');
  });

  it("answers 404 with a GOV.UK page for an unknown address and an unknown user", async () => {
    clock.set("2026-11-23T11:00:00Z");
    const c = await client();
    await c.signIn("admin@example.org", DEMO_PASSWORD);
    for (const path of ["/no-such-page", "/admin/users/999999", "/admin/users/not-a-number"]) {
      const response = await c.get(path);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("Page not found");
    }
  });

  it("keeps what an administrator typed when adding a user fails validation", async () => {
    clock.set("2026-11-23T11:00:00Z");
    const c = await client();
    await c.signIn("admin@example.org", DEMO_PASSWORD);
    const response = await c.submit("/admin/users/new", {
      name: "Nina New",
      email: "not-an-email",
      role: "partner",
      agencyId: "",
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("Enter an email address in the correct format");
    expect(html).toContain("Select an agency");
    expect(html).toContain('value="Nina New"');
    expect(html).toContain('value="not-an-email"');
  });

  it("ends a session left idle for longer than the timeout", async () => {
    clock.set("2026-11-23T12:00:00Z");
    const c = await client();
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    expect((await c.get("/")).status).toBe(200);
    clock.advance(31 * MINUTE);
    expect((await c.get("/")).status).toBe(303);
  });

  it("answers a malformed form body with 400, not 500", async () => {
    await client(); // seeds the demo users, so the sign-in route is the real one
    const response = await fetch(`${server.url}/sign-in`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=nothing" },
      body: "garbage",
    });
    expect(response.status).toBe(400);
  });

  it("lets someone change their own password: the current one is asked for, a common one is refused, other sessions end", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const here = await client();
    await here.signIn("referrer@example.org", DEMO_PASSWORD);
    const elsewhere = new HttpClient(server.url);
    await elsewhere.signIn("referrer@example.org", DEMO_PASSWORD);

    const wrong = await here.submit("/account/password", {
      current: "not it at all",
      password: "velvet kettle orbit lantern",
      confirm: "velvet kettle orbit lantern",
    });
    expect(wrong.status).toBe(422);
    const wrongPage = await wrong.text();
    expect(wrongPage).toContain("Your current password is not right");
    // What was typed in a password field never comes back in the page.
    expect(wrongPage).not.toContain("velvet kettle orbit lantern");
    const common = await here.submit("/account/password", { current: DEMO_PASSWORD, password: "qwerty123456", confirm: "qwerty123456" });
    expect(common.status).toBe(422);
    expect(await common.text()).toContain("This password is too common");

    const changed = await here.submit("/account/password", {
      current: DEMO_PASSWORD,
      password: "velvet kettle orbit lantern",
      confirm: "velvet kettle orbit lantern",
    });
    expect(changed.status).toBe(302);
    expect((await here.get("/")).status).toBe(200);
    expect((await elsewhere.get("/")).status).toBe(303); // signed out everywhere else
    const fresh = new HttpClient(server.url);
    await fresh.signIn("referrer@example.org", "velvet kettle orbit lantern");
    const audit = await t.db.selectFrom("audit_events").select("detail").where("action", "=", "user.password_changed").execute();
    expect(audit.map((a) => a.detail)).toEqual([{ otherSessionsEnded: 1, requestId: expect.any(String) }]);
  });
});
