import ICAL from "ical.js";
import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { sendActionNotices } from "../../app/services/actions.server";
import { calendarFeed, resetCalendarFeed } from "../../app/services/calendar-feed.server";
import { addAction, decideItem, startMeeting } from "../../app/services/meeting.server";
import { saveSchedule } from "../../app/services/panel-schedules.server";
import { validate } from "../../app/lib/validation";
import { scheduleSchema } from "../../app/forms/panel";
import { createTransport } from "../../emails/transport";
import { deliverDueEmails } from "../../emails/worker";
import { backends, useTestDatabase } from "../support/database";
import { actorFor } from "../support/factories";
import { actionForm, decisionForm, panelArea, parsed, scheduleForm } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";
import { startSmtpSink } from "../support/smtp";

function parseIcs(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const tz = calendar.getFirstSubcomponent("vtimezone");
  if (tz) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  return { calendar, events: calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v)) };
}

describe.each(backends)("panel emails, reminders and calendar feeds (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock, settings: { appUrl: "https://threshold.example.org" } });
  const closers: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function panels(areaId: number) {
    return t.db.selectFrom("panels").selectAll().where("area_id", "=", areaId).orderBy("starts_at").execute();
  }

  it("delivers panel invites over real SMTP as iMIP: one recipient, text/calendar with method=REQUEST, an .ics file, updates with the same UID", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const smtp = await startSmtpSink();
    closers.push(smtp.close);
    const transport = createTransport({ smtpUrl: smtp.url, from: "Threshold <no-reply@threshold.example.org>" });
    closers.push(() => transport.close());
    while ((await deliverDueEmails(deps(), transport)).sent) {
      // drain
    }
    const toChair = smtp.received.filter((m) => m.envelopeTo[0] === p.chair.email);
    expect(toChair.length).toBeGreaterThanOrEqual(6);
    const [panel] = await panels(p.area.id);
    // Delivery order is not promised: take the invite for the first panel.
    const first = toChair.find((m) => m.parsed!.attachments.some((a) => a.content.toString("utf8").includes(`UID:panel-${panel.id}@`)))!;
    expect(first.envelopeTo).toEqual([p.chair.email]);
    expect(first.parsed!.cc).toBeUndefined();
    expect(first.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    const attachment = first.parsed!.attachments.find((a) => a.filename?.endsWith(".ics"));
    expect(attachment).toBeDefined();
    const { calendar, events } = parseIcs(attachment!.content.toString("utf8"));
    expect(calendar.getFirstPropertyValue("method")).toBe("REQUEST");
    expect(events[0].uid).toBe(`panel-${panel.id}@threshold.example.org`);
    expect(events[0].sequence).toBe(0);
    expect(events[0].startDate.toString()).toBe("2026-11-25T10:00:00");
    expect(events[0].startDate.zone?.tzid).toBe("Europe/London");
    expect(String(events[0].organizer)).toBe(`mailto:${p.chair.email}`);
    expect(first.parsed!.subject).toBe(`Threshold: ${p.area.name} step-up and step-down panel, 25 November 2026`);
    expect(first.parsed!.text).toContain(`https://threshold.example.org/panels/${panel.id}`);

    // The chair moves the meeting to 13:00: an update, same UID, SEQUENCE 1, the new local time.
    await saveSchedule(
      deps(),
      actorFor(p.admin),
      p.area.id,
      parsed(
        validate(
          scheduleSchema("2026-11-23"),
          scheduleForm({
            startTime: "13:00",
            endTime: "15:00",
            chairUserId: String(p.chair.id),
            coreUserIds: [String(p.ehWorker.id)],
            version: "1",
          }),
        ),
      ),
    );
    smtp.received.length = 0;
    while ((await deliverDueEmails(deps(), transport)).sent) {
      // drain
    }
    const uid = `panel-${panel.id}@threshold.example.org`;
    const update = smtp.received.find(
      (m) =>
        m.envelopeTo[0] === p.chair.email &&
        m.parsed!.subject?.startsWith("Updated:") &&
        m.parsed!.attachments.some((a) => a.content.toString("utf8").includes(`UID:${uid}`)),
    );
    expect(update).toBeDefined();
    const updated = parseIcs(update!.parsed!.attachments.find((a) => a.filename?.endsWith(".ics"))!.content.toString("utf8"));
    const sameMeeting = updated.events.find((e) => e.uid === uid)!;
    expect(sameMeeting.sequence).toBe(1);
    expect(sameMeeting.startDate.toString()).toBe("2026-11-25T13:00:00");
  });

  it("reminds owners two working days before an action is due, tells them when it is overdue, once each, and digests several", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panel = (await panels(p.area.id))[1];
    const a = await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    const b = await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    clock.set("2026-12-09T10:00:00Z");
    const chair = actorFor(p.chair);
    const version = (await t.db.selectFrom("panels").select("version").where("id", "=", panel.id).executeTakeFirstOrThrow()).version;
    await startMeeting(deps(), chair, panel.id, { version });
    const items = await t.db.selectFrom("agenda_items").selectAll().where("panel_id", "=", panel.id).orderBy("position").execute();
    // Not agreed, so the only actions are the chair's (an agreed step up starts the hand-over's own, tested with the hand-over).
    for (const item of items) {
      const cv = (await t.db.selectFrom("cases").select("version").where("id", "=", item.case_id).executeTakeFirstOrThrow()).version;
      await decideItem(deps(), chair, panel.id, decisionForm("2026-12-09", item.id, cv, { outcome: "not_agreed" }));
    }
    // Due Monday 14th: the reminder goes two working days before, on Thursday 10th.
    await addAction(deps(), chair, panel.id, actionForm("2026-12-09", items[0].id, p.nurse, "2026-12-14"));
    await addAction(deps(), chair, panel.id, actionForm("2026-12-09", items[1].id, p.ehWorker, "2026-12-14"));
    await addAction(
      deps(),
      chair,
      panel.id,
      actionForm("2026-12-09", items[1].id, p.ehWorker, "2026-12-15", { description: "Book the family meeting" }),
    );
    const notices = () =>
      t.db
        .selectFrom("outbox")
        .select(["kind", "recipient", "subject", "text_body"])
        .where("kind", "like", "action_%")
        .where("kind", "<>", "action_assigned")
        .orderBy("id")
        .execute();

    clock.set("2026-12-09T18:00:00Z");
    expect(await sendActionNotices(deps())).toMatchObject({ reminders: 0, overdue: 0 });
    clock.set("2026-12-10T07:00:00Z");
    const [first, second] = await Promise.all([sendActionNotices(deps()), sendActionNotices(deps())]);
    expect(first.reminders + second.reminders).toBe(2);
    let sent = await notices();
    expect(sent.map((n) => [n.kind, n.recipient])).toEqual([
      ["action_reminder", p.nurse.email],
      ["action_reminder", p.ehWorker.email],
    ]);
    expect(sent[0].subject).toBe(`Threshold: action due soon for case ${a.reference}`);

    clock.set("2026-12-11T07:00:00Z");
    await sendActionNotices(deps());
    sent = await notices();
    expect(sent.map((n) => n.kind)).toEqual(["action_reminder", "action_reminder", "action_reminder"]);

    // Tuesday 15th: the two due Monday are overdue; Ed has two things, so one digest.
    clock.set("2026-12-16T07:00:00Z");
    await sendActionNotices(deps());
    await sendActionNotices(deps());
    sent = await notices();
    expect(sent.slice(3).map((n) => [n.kind, n.recipient])).toEqual([
      ["action_overdue", p.nurse.email],
      ["action_digest", p.ehWorker.email],
    ]);
    expect(sent[4].subject).toBe("Threshold: 2 actions need you (2 overdue)");
    expect(sent[4].text_body).toContain(b.reference);
    expect(JSON.stringify(sent)).not.toContain("Jamie");
  });

  it("serves a private calendar feed, without a session, of the person's panels, slots and actions; a new address replaces the old", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const url = await resetCalendarFeed(deps(), actorFor(p.chair));
    const token = /\/calendar\/([A-Za-z0-9_-]+)\.ics$/.exec(url)![1];
    const feed = await calendarFeed(deps(), token);
    const { calendar, events } = parseIcs(feed!);
    expect(calendar.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(events.map((e) => e.uid)).toContain(`panel-${(await panels(p.area.id))[1].id}@threshold.example.org`);
    // The token is stored only as a hash.
    const stored = await t.db.selectFrom("users").select("calendar_token_hash").where("id", "=", p.chair.id).executeTakeFirstOrThrow();
    expect(stored.calendar_token_hash).not.toContain(token);

    const again = await resetCalendarFeed(deps(), actorFor(p.chair));
    expect(await calendarFeed(deps(), token)).toBeNull();
    expect(await calendarFeed(deps(), /\/calendar\/([A-Za-z0-9_-]+)\.ics$/.exec(again)![1])).toContain("BEGIN:VEVENT");
    expect(await calendarFeed(deps(), "not-a-real-token-not-a-real-token")).toBeNull();
    // A deactivated person's address stops working.
    await t.db.updateTable("users").set({ active: false }).where("id", "=", p.chair.id).execute();
    expect(await calendarFeed(deps(), /\/calendar\/([A-Za-z0-9_-]+)\.ics$/.exec(again)![1])).toBeNull();
  });
});
