import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { createUser } from "../../app/services/admin.server";
import { backends, useTestDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { seedDemoUsers, startTestServer, type TestServer } from "../support/server";

const PRODUCTION = { NODE_ENV: "production", SESSION_SECRET: "a-long-random-secret-for-these-tests-only" };

describe.each(backends)("a production server's mailbox and warnings (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  let closed: TestServer;
  let opened: TestServer;
  beforeAll(async () => {
    closed = await startTestServer(t.db, { clock, env: PRODUCTION });
    opened = await startTestServer(t.db, { clock, env: { ...PRODUCTION, MAILBOX_ENABLED: "true" } });
  });
  afterAll(async () => {
    await closed?.close();
    await opened?.close();
  });

  async function inviteSomeone() {
    await seedDemoUsers(t.db);
    const admin = await loadDemoUser(t.db, "admin@example.org");
    const agency = await t.db.selectFrom("agencies").select("id").executeTakeFirstOrThrow();
    await createUser(
      { db: t.db, clock, settings: { appUrl: "https://threshold.example.gov.uk" } },
      { user: admin, ip: null },
      {
        name: "Nia New",
        email: "nia.new@example.org",
        role: "professional",
        agencyId: agency.id,
        areaId: null,
        active: true,
        password: undefined,
      },
    );
    const email = await t.db.selectFrom("outbox").select(["id", "text_body"]).where("kind", "=", "invitation").executeTakeFirstOrThrow();
    const token = email.text_body.match(/\/set-password\/([A-Za-z0-9_-]+)/)![1];
    return { id: email.id, token };
  }

  it("keeps the mailbox page off unless it is turned on, and then cuts secret links short", async () => {
    const { id, token } = await inviteSomeone();
    const admin = new HttpClient(closed.url);
    await admin.signIn("admin@example.org", DEMO_PASSWORD);
    const home = await (await admin.get("/")).text();
    expect(home).not.toContain('href="/dev/mailbox"');
    expect((await admin.get("/dev/mailbox")).status).toBe(404);
    expect((await admin.get(`/dev/mailbox/${id}`)).status).toBe(404);

    const turnedOn = new HttpClient(opened.url);
    await turnedOn.signIn("admin@example.org", DEMO_PASSWORD);
    expect(await (await turnedOn.get("/")).text()).toContain('href="/dev/mailbox"');
    const message = await (await turnedOn.get(`/dev/mailbox/${id}`)).text();
    const html = await (await turnedOn.get(`/dev/mailbox/${id}/html`)).text();
    expect(message).toContain(`/set-password/${token.slice(0, 6)}…(hidden)`);
    expect(message).not.toContain(token);
    expect(html).not.toContain(token);
  });

  it("warns administrators, on every page, of roles signing in with a password alone", async () => {
    await seedDemoUsers(t.db);
    const admin = new HttpClient(closed.url);
    await admin.signIn("admin@example.org", DEMO_PASSWORD);
    const page = await (await admin.get("/admin/users")).text();
    expect(page).toContain("Two-factor authentication is off for:");
    expect(page).toContain("Team manager");
    const chair = new HttpClient(closed.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    expect(await (await chair.get("/")).text()).not.toContain("Two-factor authentication is off");
  });
});
