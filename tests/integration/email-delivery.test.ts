import { describe, expect, it } from "vitest";
import { fixedClock, MINUTE } from "../../app/lib/clock";
import { deliveryErrorClass } from "../../app/lib/email-errors";
import { DEMO_PASSWORD } from "../../app/seed/demo";
import { enqueueEmail } from "../../emails/outbox";
import { renderEmail } from "../../emails/render";
import { backends, useTestDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { seedDemoUsers, startTestServer } from "../support/server";

describe("the kind of a delivery failure", () => {
  it("says what went wrong without quoting the mail server", () => {
    expect(deliveryErrorClass("connect ECONNREFUSED 127.0.0.1:25")).toBe("Could not reach the mail server");
    expect(deliveryErrorClass("Connection timeout")).toBe("The mail server did not answer in time");
    expect(deliveryErrorClass("Invalid login: 535 5.7.8 Authentication failed")).toBe("The mail server refused Threshold's sign-in");
    expect(deliveryErrorClass("550 5.1.1 <someone@example.org>: Recipient address rejected")).toBe("The mail server refused the email");
    expect(deliveryErrorClass("421 4.7.0 Try again later")).toBe("The mail server asked to try later");
    expect(deliveryErrorClass(null)).toBeNull();
  });
});

describe.each(backends)("email delivery for administrators (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");

  it("shows what is waiting and what failed, without bodies, subjects or links, warns on every page, and retries a failure", async () => {
    await seedDemoUsers(t.db);
    // Production settings: the mailbox page is off there, the delivery page is not.
    const server = await startTestServer(t.db, { clock, config: { mailboxPage: false } });
    try {
      const email = renderEmail({ subject: "Threshold: panel update for case TH-2026-000001", heading: "h", paragraphs: ["Secret body"] });
      await enqueueEmail(
        t.db,
        { ...email, key: "late", kind: "decision_recorded", to: "rita@example.org" },
        new Date(clock.now().getTime() - 30 * MINUTE),
      );
      await enqueueEmail(t.db, { ...email, key: "failed", kind: "action_assigned", to: "olly@example.org" }, clock.now());
      await t.db
        .updateTable("outbox")
        .set({ status: "failed", attempts: 8, last_error: "550 5.1.1 <olly@example.org>: Recipient address rejected" })
        .where("idempotency_key", "=", "failed")
        .execute();

      const admin = new HttpClient(server.url);
      await admin.signIn("admin@example.org", DEMO_PASSWORD);
      const home = await (await admin.get("/admin/users")).text();
      expect(home).toContain("Email delivery is failing: 1 failed for good, 1 waiting (0 refused at their last attempt).");
      const page = await (await admin.get("/admin/email")).text();
      expect(page).toContain("Email delivery");
      expect(page).toContain("rita@example.org");
      expect(page).toContain("The mail server refused the email");
      expect(page).not.toContain("Secret body");
      expect(page).not.toContain("TH-2026-000001");
      expect(page).not.toContain("Recipient address rejected");

      const failed = await t.db.selectFrom("outbox").select("id").where("idempotency_key", "=", "failed").executeTakeFirstOrThrow();
      const retried = await admin.submit("/admin/email", { id: String(failed.id) });
      expect(retried.headers.get("location")).toBe("/admin/email?retried=1");
      const row = await t.db.selectFrom("outbox").select(["status", "attempts"]).where("id", "=", failed.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: "pending", attempts: 0 });
      expect(await t.db.selectFrom("audit_events").select("action").where("action", "=", "email.retried").execute()).toHaveLength(1);

      // Nobody else sees it or the warning.
      const chair = new HttpClient(server.url);
      await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
      expect((await chair.get("/admin/email")).status).toBe(403);
      expect(await (await chair.get("/")).text()).not.toContain("Email delivery is failing");
    } finally {
      await server.close();
    }
  });
});
