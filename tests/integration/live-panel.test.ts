import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { FormError } from "../../app/lib/errors";
import { NotFound } from "../../app/lib/errors";
import { editAgendaItem } from "../../app/services/agenda.server";
import { startMeeting } from "../../app/services/meeting.server";
import { liveView, moveThroughAgenda } from "../../app/services/live-panel.server";
import { agendaItemSchema } from "../../app/forms/panel";
import { validate } from "../../app/lib/validation";
import { onPanelChange } from "../../app/lib/panel-events";
import { insightDashboard } from "../../app/services/insight.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, createUser } from "../support/factories";
import { panelArea, parsed } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";

describe.each(backends)("the live panel (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock, settings: { appUrl: "https://threshold.example.org" } });

  /** The 9 December panel (10:00 to 12:00) with four 15-minute step ups; the nurse is invited for the fourth only. */
  async function runningPanel() {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panel = await t.db
      .selectFrom("panels")
      .selectAll()
      .where("area_id", "=", p.area.id)
      .orderBy("starts_at")
      .offset(1)
      .limit(1)
      .executeTakeFirstOrThrow();
    const references: string[] = [];
    for (let i = 0; i < 4; i++) references.push((await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id)).reference);
    const items = await t.db
      .selectFrom("agenda_items")
      .select(["id", "position"])
      .where("panel_id", "=", panel.id)
      .orderBy("position")
      .execute();
    const version = async () =>
      (await t.db.selectFrom("panels").select("version").where("id", "=", panel.id).executeTakeFirstOrThrow()).version;
    await editAgendaItem(
      deps(),
      actorFor(p.chair),
      panel.id,
      items[3]!.id,
      parsed(validate(agendaItemSchema, { version: String(await version()), slotMinutes: "15", userIds: [String(p.nurse.id)] })),
    );
    clock.set("2026-12-09T09:58:00Z");
    await startMeeting(deps(), actorFor(p.chair), panel.id, { version: await version() });
    const timings = () =>
      t.db
        .selectFrom("agenda_items")
        .select(["id", "started_at", "ended_at", "skipped"])
        .where("panel_id", "=", panel.id)
        .orderBy("position")
        .execute();
    const slotEmails = () =>
      t.db
        .selectFrom("outbox")
        .select(["recipient", "kind", "ics", "text_body"])
        .where("kind", "in", ["slot_invite", "slot_updated"])
        .orderBy("id")
        .execute();
    return { ...p, panel, items, references, timings, slotEmails };
  }

  it("records each item's real start and end as the chair moves on, goes back and skips", async () => {
    const r = await runningPanel();
    const chair = actorFor(r.chair);
    const move = (at: string, input: Parameters<typeof moveThroughAgenda>[3]) => {
      clock.set(at);
      return moveThroughAgenda(deps(), chair, r.panel.id, input);
    };
    expect(await move("2026-12-09T10:00:00Z", { move: "next" })).toMatchObject({ itemId: r.items[0]!.id, reference: r.references[0] });
    await move("2026-12-09T10:12:00Z", { move: "next" });
    let rows = await r.timings();
    expect(rows[0]).toMatchObject({ started_at: new Date("2026-12-09T10:00:00Z"), ended_at: new Date("2026-12-09T10:12:00Z") });
    expect(rows[1]).toMatchObject({ started_at: new Date("2026-12-09T10:12:00Z"), ended_at: null });
    // Back: the second item waits again in its place; the first is reopened.
    await move("2026-12-09T10:13:00Z", { move: "back" });
    rows = await r.timings();
    expect(rows[0]!.ended_at).toBeNull();
    expect(rows[1]).toMatchObject({ started_at: null, ended_at: null });
    // Next, then skip the second: it comes back after the rest, and the third starts.
    await move("2026-12-09T10:15:00Z", { move: "next" });
    await move("2026-12-09T10:16:00Z", { move: "skip" });
    rows = await r.timings();
    expect(rows[1]).toMatchObject({ started_at: null, skipped: true });
    expect(rows[2]!.started_at).toEqual(new Date("2026-12-09T10:16:00Z"));
    const view = await liveView(deps(), chair, r.panel.id);
    expect(view.items.map((i) => [i.reference, i.state])).toEqual([
      [r.references[0], "done"],
      [r.references[2], "current"],
      [r.references[3], "waiting"],
      [r.references[1], "skipped"],
    ]);
    // Starting the skipped one by hand.
    await move("2026-12-09T10:30:00Z", { move: "start", itemId: r.items[1]!.id });
    rows = await r.timings();
    expect(rows[1]).toMatchObject({ started_at: new Date("2026-12-09T10:30:00Z"), skipped: false });
    expect(rows[2]!.ended_at).toEqual(new Date("2026-12-09T10:30:00Z"));
    const audit = await t.db.selectFrom("audit_events").select(["action", "detail"]).where("action", "=", "panel.live_moved").execute();
    expect(audit).toHaveLength(6);
  });

  it("tells watchers of every change, and refuses to move through a panel not in session", async () => {
    const r = await runningPanel();
    let heard = 0;
    const stop = onPanelChange(r.panel.id, () => heard++);
    clock.set("2026-12-09T10:00:00Z");
    await moveThroughAgenda(deps(), actorFor(r.chair), r.panel.id, { move: "next" });
    stop();
    expect(heard).toBe(1);
    await t.db.updateTable("panels").set({ status: "concluded" }).where("id", "=", r.panel.id).execute();
    const refused = await moveThroughAgenda(deps(), actorFor(r.chair), r.panel.id, { move: "next" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FormError);
  });

  it("re-sends a partner's slot invite only when their time moved more than ten minutes, with the same UID and the next SEQUENCE", async () => {
    const r = await runningPanel();
    const chair = actorFor(r.chair);
    const before = (await r.slotEmails()).filter((e) => e.recipient === r.nurse.email);
    expect(before.map((e) => e.kind)).toEqual(["slot_invite"]);
    expect(before[0]!.text_body).toContain(`https://threshold.example.org/panels/${r.panel.id}/live`);
    const sentBefore = (await r.slotEmails()).length;
    const uid = /UID:(.*)/.exec(before[0]!.ics!)![1]!.trim();
    const sequence = Number(/SEQUENCE:(\d+)/.exec(before[0]!.ics!)![1]);
    // 10:00 first item; still on plan for the fourth (10:45): nothing sent.
    clock.set("2026-12-09T10:00:00Z");
    await moveThroughAgenda(deps(), chair, r.panel.id, { move: "next" });
    expect(await r.slotEmails()).toHaveLength(sentBefore);
    // 10:30: the first item took 30 minutes; at that pace the fourth starts at 11:30, 45 minutes late.
    clock.set("2026-12-09T10:30:00Z");
    await moveThroughAgenda(deps(), chair, r.panel.id, { move: "next" });
    const updates = (await r.slotEmails()).filter((e) => e.recipient === r.nurse.email && e.kind === "slot_updated");
    expect(updates).toHaveLength(1);
    expect(updates[0]!.ics).toContain(`UID:${uid}`);
    expect(updates[0]!.ics).toContain(`SEQUENCE:${sequence + 1}`);
    expect(updates[0]!.ics).toContain("DTSTART;TZID=Europe/London:20261209T113000");
    // 10:55: the second took 25; the fourth is now expected at 11:22, 7.5 minutes from what she was sent: nothing.
    clock.set("2026-12-09T10:55:00Z");
    await moveThroughAgenda(deps(), chair, r.panel.id, { move: "next" });
    expect((await r.slotEmails()).filter((e) => e.recipient === r.nurse.email && e.kind === "slot_updated")).toHaveLength(1);
  });

  it("shows a partner invited for one item that item only; everyone else's items are numbers and times; the uninvited get 404", async () => {
    const r = await runningPanel();
    clock.set("2026-12-09T10:05:00Z");
    await moveThroughAgenda(deps(), actorFor(r.chair), r.panel.id, { move: "next" });
    const view = await liveView(deps(), actorFor(r.nurse), r.panel.id);
    expect(view.wholePanel).toBe(false);
    expect(view.items.map((i) => i.reference)).toEqual([null, null, null, r.references[3]]);
    expect(view.items[3]).toMatchObject({ mine: true, kind: "Step up", time: "10:50am" });
    expect(view.current).toMatchObject({ number: 1, reference: null, kind: null });
    expect(view.runningLine).toBe("Running 5 minutes late");
    expect(view.announcement).toBe("Now discussing item 1 of 4. Running 5 minutes late.");
    const serialised = JSON.stringify(view);
    for (const other of r.references.slice(0, 3)) expect(serialised).not.toContain(other);
    // The chair's core member sees every item.
    const whole = await liveView(deps(), actorFor(r.ehWorker), r.panel.id);
    expect(whole.items.map((i) => i.reference)).toEqual(r.references);
    // Someone from another area, or a partner not invited, is told nothing exists.
    const stranger = await createUser(t.db, { role: "partner", areaId: r.area.id });
    expect(await liveView(deps(), actorFor(stranger), r.panel.id).catch((e: unknown) => e)).toBeInstanceOf(NotFound);
  });

  it("stores real minutes per item and feeds the insight pages: planned slot against actual, and the panel's overrun", async () => {
    const r = await runningPanel();
    const chair = actorFor(r.chair);
    for (const at of ["10:00", "10:30", "10:45", "11:00", "11:20"]) {
      clock.set(`2026-12-09T${at}:00Z`);
      await moveThroughAgenda(deps(), chair, r.panel.id, { move: "next" });
    }
    const dashboard = await insightDashboard(deps(), actorFor(r.serviceManager), { from: "2026-12", to: "2026-12", area: 0, agency: 0 });
    const figures = new Map(dashboard.sections.flatMap((s) => s.figures).map((f) => [f.id, f]));
    // The four items took 30, 15, 15 and 20 minutes of their 15-minute slots.
    expect(figures.get("slot-lengths")!.rows).toEqual([["Routine", "Step up", 4, 15, 15, 30, "50.0%"]]);
    // The last ended at 11:20, 40 minutes before the planned end.
    expect(figures.get("panel-overruns")!.rows).toEqual([["Routine", 1, -40, -40]]);
  });

  it("says a finished panel has finished, with no item under discussion beside it", async () => {
    const r = await runningPanel();
    const chair = actorFor(r.chair);
    clock.set("2026-12-09T10:00:00Z");
    await moveThroughAgenda(deps(), chair, r.panel.id, { move: "next" });
    expect((await liveView(deps(), chair, r.panel.id)).current).not.toBeNull();
    // Concluded with the last item started and never moved on from, as a chair who decides it and concludes leaves it.
    await t.db.updateTable("panels").set({ status: "concluded" }).where("id", "=", r.panel.id).execute();
    const view = await liveView(deps(), chair, r.panel.id);
    expect(view.current).toBeNull();
    expect(view.runningLine).toBe("This panel has finished");
    expect(view.announcement).toBe("This panel has finished.");
  });
});
