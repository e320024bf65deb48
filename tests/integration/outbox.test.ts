import { afterEach, describe, expect, it } from "vitest";
import { fixedClock, systemClock } from "../../app/lib/clock";
import { recordDecision, viewCase } from "../../app/services/cases.server";
import { enqueueEmail } from "../../emails/outbox";
import { renderEmail } from "../../emails/render";
import { createTransport } from "../../emails/transport";
import { backoffMs, deliverDueEmails, LEASE_MS } from "../../emails/worker";
import { claimDueEmails } from "../../db/queries/outbox";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, createArea, createUser } from "../support/factories";
import { submitCompleteRequest } from "../support/requests";
import { startSmtpSink } from "../support/smtp";

describe.each(backends)("the email outbox (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock, settings: { appUrl: "https://threshold.example.gov.uk" } });
  const closers: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    // Clients first, then servers: an SMTP server waits for its clients to leave.
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function decidedCase() {
    const area = await createArea(t.db, "Crewe");
    const referrer = await createUser(t.db, { role: "professional", areaId: area.id, email: "referrer@example.test" });
    const chair = await createUser(t.db, { role: "team_manager", areaId: area.id });
    const submitted = await submitCompleteRequest(deps(), referrer, "step_up", area.id);
    const { case: c } = await viewCase(deps(), actorFor(chair), submitted.reference);
    await recordDecision(deps(), actorFor(chair), submitted.reference, {
      requestId: submitted.requestId,
      version: c.version,
      outcome: "step_up_agreed",
      reasons: "Threshold met",
      riskHolderChoice: { name: "Team manager", role: "team manager", agency: "Children's Social Care" },
    });
    return { ...submitted, referrer };
  }

  it("writes the decision email with the decision, and delivers it over real SMTP to one recipient with no child details", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const { reference } = await decidedCase();
    const queued = await t.db.selectFrom("outbox").selectAll().execute();
    expect(queued).toHaveLength(1);

    const smtp = await startSmtpSink();
    closers.push(smtp.close);
    const transport = createTransport({ smtpUrl: smtp.url, from: "Threshold <no-reply@threshold.example.gov.uk>" });
    closers.push(() => transport.close());
    expect(await deliverDueEmails(deps(), transport)).toEqual({ sent: 1, failed: 0 });

    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0].parsed!;
    expect(smtp.received[0].envelopeTo).toEqual(["referrer@example.test"]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((v) => v.address) : []).toEqual(["referrer@example.test"]);
    expect(mail.cc).toBeUndefined();
    expect(mail.subject).toBe(`Threshold: panel update for case ${reference}`);
    expect(mail.text).toContain(`https://threshold.example.gov.uk/cases/${reference}`);
    // The outcome in words; the reasons stay behind sign-in.
    expect(mail.text).toContain("Step up to children's social care agreed.");
    expect(mail.text).not.toContain("Threshold met");
    expect(mail.html).toContain(`href="https://threshold.example.gov.uk/cases/${reference}"`);
    expect(mail.messageId).toMatch(/^<decision\.\d+\.to\.\d+@threshold\.example\.gov\.uk>$/);
    // The child in the test data is Jamie Example, born 14 March 2015, of 1 Test Street.
    for (const secret of ["Jamie", "Example", "2015", "Test Street", "Escalating neglect"]) {
      expect(smtp.received[0].raw).not.toContain(secret);
    }
    const row = await t.db.selectFrom("outbox").select(["status", "transport"]).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "sent", transport: "smtp" });
  });

  it("writes nothing when the change that caused the email is rolled back", async () => {
    await t.db
      .transaction()
      .execute(async (trx) => {
        await enqueueEmail(
          trx,
          { ...renderEmail({ subject: "s", heading: "h", paragraphs: [] }), key: "k1", kind: "test", to: "a@example.test" },
          clock.now(),
        );
        throw new Error("the use case failed");
      })
      .catch(() => undefined);
    expect(await t.db.selectFrom("outbox").selectAll().execute()).toEqual([]);
  });

  it("keeps mail while SMTP is down and delivers it, once, when it returns", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await enqueueEmail(
      t.db,
      { ...renderEmail({ subject: "Hello", heading: "h", paragraphs: ["p"] }), key: "down-1", kind: "test", to: "a@example.test" },
      clock.now(),
    );
    const down = createTransport({ smtpUrl: "smtp://127.0.0.1:1", from: "no-reply@threshold.example.gov.uk" });
    closers.push(() => down.close());
    expect(await deliverDueEmails(deps(), down)).toEqual({ sent: 0, failed: 1 });
    const after = await t.db.selectFrom("outbox").select(["status", "attempts", "next_attempt_at", "last_error"]).executeTakeFirstOrThrow();
    expect(after.status).toBe("pending");
    expect(after.attempts).toBe(1);
    expect(after.next_attempt_at.getTime()).toBe(clock.now().getTime() + backoffMs(1));
    expect(after.last_error).toBeTruthy();

    const smtp = await startSmtpSink();
    closers.push(smtp.close);
    const up = createTransport({ smtpUrl: smtp.url, from: "no-reply@threshold.example.gov.uk" });
    closers.push(() => up.close());
    expect(await deliverDueEmails(deps(), up)).toEqual({ sent: 0, failed: 0 }); // not due yet
    clock.advance(backoffMs(1));
    expect(await deliverDueEmails(deps(), up)).toEqual({ sent: 1, failed: 0 });
    expect(await deliverDueEmails(deps(), up)).toEqual({ sent: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  it("marks an email failed after the last attempt so an administrator can retry it", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await enqueueEmail(
      t.db,
      { ...renderEmail({ subject: "x", heading: "h", paragraphs: [] }), key: "fail-1", kind: "test", to: "a@example.test" },
      clock.now(),
    );
    const down = createTransport({ smtpUrl: "smtp://127.0.0.1:1", from: "no-reply@threshold.example.gov.uk" });
    closers.push(() => down.close());
    for (let i = 0; i < 8; i++) {
      await deliverDueEmails(deps(), down);
      clock.advance(60 * 60_000);
    }
    const row = await t.db.selectFrom("outbox").select(["status", "attempts"]).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "failed", attempts: 8 });
  });

  it("sends every email exactly once with two workers draining one outbox", async () => {
    clock.set("2026-11-23T09:00:00Z");
    for (let i = 0; i < 60; i++) {
      await enqueueEmail(
        t.db,
        { ...renderEmail({ subject: `n${i}`, heading: "h", paragraphs: [] }), key: `two-${i}`, kind: "test", to: `p${i}@example.test` },
        clock.now(),
      );
    }
    // Enqueueing the same logical email again is a no-op.
    await enqueueEmail(
      t.db,
      { ...renderEmail({ subject: "n0", heading: "h", paragraphs: [] }), key: "two-0", kind: "test", to: "p0@example.test" },
      clock.now(),
    );
    const smtp = await startSmtpSink({ parse: false });
    closers.push(smtp.close);
    const a = createTransport({ smtpUrl: smtp.url, from: "no-reply@threshold.example.gov.uk" });
    const b = createTransport({ smtpUrl: smtp.url, from: "no-reply@threshold.example.gov.uk" });
    closers.push(
      () => a.close(),
      () => b.close(),
    );
    const drain = async (transport: typeof a) => {
      let total = 0;
      for (;;) {
        const r = await deliverDueEmails(deps(), transport, { batchSize: 7 });
        total += r.sent;
        if (r.sent + r.failed === 0) return total;
      }
    };
    const [sentA, sentB] = await Promise.all([drain(a), drain(b)]);
    expect(sentA + sentB).toBe(60);
    const recipients = smtp.received.map((r) => r.envelopeTo[0]).sort();
    expect(recipients).toHaveLength(60);
    expect(new Set(recipients).size).toBe(60);
  });

  it("gives back within a minute the emails a worker claimed and died holding, and they go out once", async () => {
    clock.set("2026-11-23T09:00:00Z");
    await enqueueEmail(
      t.db,
      { ...renderEmail({ subject: "s", heading: "h", paragraphs: [] }), key: "dies", kind: "test", to: "x@example.test" },
      clock.now(),
    );
    // A worker claims it and is killed before sending (nothing renews its claim).
    expect(await claimDueEmails(t.db, clock.now(), 10, LEASE_MS)).toHaveLength(1);
    const sent: string[] = [];
    const transport = { name: "test", send: async (e: { recipient: string }) => void sent.push(e.recipient), close: () => {} };
    expect(await deliverDueEmails(deps(), transport as never)).toEqual({ sent: 0, failed: 0 });
    clock.set(new Date(clock.now().getTime() + LEASE_MS - 1_000).toISOString());
    expect(await deliverDueEmails(deps(), transport as never)).toEqual({ sent: 0, failed: 0 });
    clock.set(new Date(clock.now().getTime() + 2_000).toISOString());
    expect(await deliverDueEmails(deps(), transport as never)).toEqual({ sent: 1, failed: 0 });
    expect(sent).toEqual(["x@example.test"]);
    // Claims renewed every third of the lease: a dead worker's emails are free again within the lease, with room in a minute.
    expect(LEASE_MS).toBeLessThanOrEqual(45_000);
  });

  it("keeps a live worker's claim while a slow send goes on, so a second worker never sends it too", async () => {
    await enqueueEmail(
      t.db,
      { ...renderEmail({ subject: "s", heading: "h", paragraphs: [] }), key: "slow", kind: "test", to: "y@example.test" },
      new Date(),
    );
    const live = { db: t.db, clock: systemClock, settings: deps().settings };
    const sent: string[] = [];
    const slow = {
      name: "slow",
      send: async (e: { recipient: string }) => {
        await new Promise((r) => setTimeout(r, 900));
        sent.push(`slow:${e.recipient}`);
      },
      close: () => {},
    };
    const quick = { name: "quick", send: async (e: { recipient: string }) => void sent.push(`quick:${e.recipient}`), close: () => {} };
    // A 300 ms lease renewed every 100 ms: the slow send outlasts three leases.
    const first = deliverDueEmails(live, slow as never, { leaseMs: 300 });
    await new Promise((r) => setTimeout(r, 600));
    expect(await deliverDueEmails(live, quick as never, { leaseMs: 300 })).toEqual({ sent: 0, failed: 0 });
    expect(await first).toEqual({ sent: 1, failed: 0 });
    expect(sent).toEqual(["slow:y@example.test"]);
  });

  it("keeps mail in the app when no SMTP server is configured", async () => {
    await enqueueEmail(
      t.db,
      { ...renderEmail({ subject: "kept", heading: "h", paragraphs: [] }), key: "mb-1", kind: "test", to: "a@example.test" },
      clock.now(),
    );
    const mailbox = createTransport({ from: "no-reply@threshold.example.gov.uk" });
    expect(await deliverDueEmails(deps(), mailbox)).toEqual({ sent: 1, failed: 0 });
    const row = await t.db.selectFrom("outbox").select(["status", "transport"]).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "sent", transport: "mailbox" });
  });
});
