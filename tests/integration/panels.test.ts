import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { ConflictError, FormError } from "../../app/lib/errors";
import { validate } from "../../app/lib/validation";
import { agendaItemSchema, extraordinarySchema, panelDetailsSchema, scheduleSchema } from "../../app/forms/panel";
import { completeAction, myActions } from "../../app/services/actions.server";
import { homeSummary } from "../../app/services/home.server";
import { actOnCase, viewCase } from "../../app/services/cases.server";
import { callExtraordinaryPanel, decideExtraordinaryRequest, requestExtraordinaryPanel } from "../../app/services/extraordinary.server";
import { runPanelHousekeeping } from "../../app/services/panel-lifecycle.server";
import { saveSchedule } from "../../app/services/panel-schedules.server";
import { mySubmissions } from "../../app/services/requests.server";
import { addAction, concludePanel, decideItem, recordAttendance, startMeeting, viewMeeting } from "../../app/services/meeting.server";
import {
  cancelPanel,
  changePanelDetails,
  editAgendaItem,
  listPanels,
  moveAgendaItem,
  pullItemOntoPanel,
  sendAgenda,
  sendDueAgendas,
  viewAgenda,
} from "../../app/services/agenda.server";
import { publishMinutes, viewMinutes } from "../../app/services/minutes.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, createArea, createUser } from "../support/factories";
import { actionForm, decisionForm, panelArea, parsed, scheduleForm } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";

class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

describe.each(backends)("panels: schedules, agendas, chairing and minutes (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock, settings: { appUrl: "https://threshold.example.org" } });

  async function panelsOf(areaId: number) {
    return t.db.selectFrom("panels").selectAll().where("area_id", "=", areaId).orderBy("starts_at").execute();
  }

  async function itemsOn(panelId: number) {
    return t.db.selectFrom("agenda_items").selectAll().where("panel_id", "=", panelId).orderBy("position").execute();
  }

  async function caseVersion(caseId: number) {
    return (await t.db.selectFrom("cases").select("version").where("id", "=", caseId).executeTakeFirstOrThrow()).version;
  }

  async function panelVersion(id: number) {
    return (await t.db.selectFrom("panels").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;
  }

  it("generates at least 12 weeks of fortnightly panels in UK time and invites the chair and core members", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panels = await panelsOf(p.area.id);
    expect(panels.map((x) => x.meeting_date)).toEqual([
      "2026-11-25",
      "2026-12-09",
      "2026-12-23",
      "2027-01-06",
      "2027-01-20",
      "2027-02-03",
      "2027-02-17",
    ]);
    expect(panels.every((x) => x.kind === "routine" && x.status === "scheduled")).toBe(true);
    expect(new Date(panels[1].starts_at).toISOString()).toBe("2026-12-09T10:00:00.000Z");
    expect(new Date(panels[1].cutoff_at).toISOString()).toBe("2026-12-02T16:00:00.000Z");
    const invites = await t.db.selectFrom("outbox").selectAll().where("kind", "=", "panel_invite").execute();
    expect(invites).toHaveLength(panels.length * 2);
    expect(new Set(invites.map((i) => i.recipient))).toEqual(new Set([p.chair.email, p.ehWorker.email]));
    expect(
      invites.every((i) => i.ics_method === "REQUEST" && i.ics?.includes(`UID:panel-${panels[0].id}@threshold.example.org`) !== undefined),
    ).toBe(true);
    // Generating again (the worker's hourly run) adds nothing and sends nothing twice.
    await runPanelHousekeeping(deps());
    expect(await panelsOf(p.area.id)).toHaveLength(panels.length);
    expect(await t.db.selectFrom("outbox").select("id").where("kind", "=", "panel_invite").execute()).toHaveLength(invites.length);
  });

  it("moves a panel off a bank holiday and keeps 10am across the spring clock change", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const today = "2026-11-23";
    await saveSchedule(
      deps(),
      actorFor(p.admin),
      p.area.id,
      parsed(validate(scheduleSchema(today), scheduleForm({ weekday: "FR", intervalWeeks: "1", firstDay: "27", version: "1" }))),
    );
    const fridays = (await panelsOf(p.area.id)).filter((x) => x.status !== "cancelled");
    const christmas = fridays.find((x) => x.moved_from === "2026-12-25");
    // Christmas Day is a Friday; Boxing Day's substitute holiday is Monday 28th.
    expect(christmas?.meeting_date).toBe("2026-12-29");
    expect(fridays.find((x) => x.moved_from === "2027-01-01")?.meeting_date).toBe("2027-01-04");
    // The Wednesday panels that no longer fit the schedule were cancelled, with invites cancelled.
    const cancelled = (await panelsOf(p.area.id)).filter((x) => x.status === "cancelled");
    expect(cancelled.length).toBeGreaterThan(0);
    expect(await t.db.selectFrom("outbox").select("id").where("kind", "=", "panel_cancelled").execute()).not.toHaveLength(0);

    clock.set("2027-03-01T09:00:00Z");
    await saveSchedule(
      deps(),
      actorFor(p.admin),
      p.area.id,
      parsed(validate(scheduleSchema("2027-03-01"), scheduleForm({ firstDay: "3", firstMonth: "3", firstYear: "2027", version: "2" }))),
    );
    const spring = (await panelsOf(p.area.id)).filter((x) => x.status !== "cancelled" && x.meeting_date >= "2027-03-03");
    const byDate = new Map(spring.map((x) => [x.meeting_date, new Date(x.starts_at).toISOString()]));
    expect(byDate.get("2027-03-17")).toBe("2027-03-17T10:00:00.000Z");
    expect(byDate.get("2027-03-31")).toBe("2027-03-31T09:00:00.000Z");
  });

  it("puts requests made before an area had a schedule onto its first panels", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const { createArea } = await import("../support/factories");
    const newArea = await createArea(t.db, "Nantwich");
    const early = await submitCompleteRequest(deps(), p.referrer, "step_up", newArea.id);
    expect(early.panelId).toBeNull();
    await saveSchedule(deps(), actorFor(p.admin), newArea.id, parsed(validate(scheduleSchema("2026-11-23"), scheduleForm())));
    const [, first] = await panelsOf(newArea.id);
    expect((await itemsOn(first.id)).map((i) => i.request_id)).toEqual([early.requestId]);
  });

  it("refuses a schedule whose cut-off is after the meeting or whose end is before its start, saving nothing", async () => {
    const result = validate(scheduleSchema("2026-11-23"), scheduleForm({ cutoffDaysBefore: "0", cutoffTime: "11:00", endTime: "09:00" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.endTime).toBe("The end time must be after the start time");
    expect(result.errors.cutoffTime).toBe("The cut-off must be before the panel starts");
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    await expect(
      saveSchedule(
        deps(),
        actorFor(p.admin),
        p.area.id,
        parsed(validate(scheduleSchema("2026-11-23"), scheduleForm({ firstDay: "26", version: "1" }))),
      ),
    ).rejects.toThrowError(FormError);
    expect((await t.db.selectFrom("panel_schedules").select("version").executeTakeFirstOrThrow()).version).toBe(1);
  });

  it("puts a request on the next panel by cut-off, and a late one on the panel after", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panels = await panelsOf(p.area.id);
    const onTime = await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    expect(onTime.panelId).toBe(panels[1].id); // 25 November's cut-off has passed: 9 December
    clock.set("2026-12-02T16:01:00Z");
    const late = await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    expect(late.panelId).toBe(panels[2].id);
    // The requester sees the date of the panel each request is on.
    const mine = await mySubmissions(deps(), actorFor(p.referrer));
    expect(mine.map((r) => new Date(r.panel_starts_at!).toISOString()).sort()).toEqual([
      "2026-12-09T10:00:00.000Z",
      "2026-12-23T10:00:00.000Z",
    ]);
    // The chair pulls the late request onto 9 December.
    await pullItemOntoPanel(deps(), actorFor(p.chair), panels[1].id, {
      version: await panelVersion(panels[1].id),
      itemId: (await itemsOn(panels[2].id))[0].id,
    });
    const agenda = await viewAgenda(deps(), actorFor(p.chair), panels[1].id);
    expect(agenda.items.map((i) => [i.reference, i.late])).toEqual([
      [onTime.reference, false],
      [late.reference, true],
    ]);
    expect((await itemsOn(panels[2].id))[0].status).toBe("moved");
  });

  it("times the agenda from slot lengths and refuses overlapping or over-running slots", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panel = (await panelsOf(p.area.id))[1];
    const a = await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    const b = await submitCompleteRequest(deps(), p.referrer, "step_down", p.area.id);
    const [itemA, itemB] = await itemsOn(panel.id);
    const chair = actorFor(p.chair);
    const edit = (itemId: number, form: Record<string, string | string[]>) =>
      editAgendaItem(deps(), chair, panel.id, itemId, parsed(validate(agendaItemSchema, form)));

    await edit(itemA.id, { version: String(await panelVersion(panel.id)), slotMinutes: "20", agencyIds: [String(p.health.id)] });
    // Nothing goes to the item's invitees while the agenda is prepared; sending it sends each one invite.
    expect(await t.db.selectFrom("outbox").select("id").where("recipient", "=", p.nurse.email).execute()).toHaveLength(0);
    await sendAgenda(deps(), chair, panel.id, { version: await panelVersion(panel.id) });
    let agenda = await viewAgenda(deps(), chair, panel.id);
    expect(agenda.items.map((i) => [i.reference, i.slot.startsAt.toISOString()])).toEqual([
      [a.reference, "2026-12-09T10:00:00.000Z"],
      [b.reference, "2026-12-09T10:20:00.000Z"],
    ]);
    expect(agenda.items[0].invitedAgencies).toContain(p.health.name);

    const overlap = edit(itemB.id, { version: String(await panelVersion(panel.id)), slotMinutes: "15", pinnedStart: "10:10" });
    await expect(overlap).rejects.toMatchObject({
      fieldErrors: { pinnedStart: "This slot overlaps the item before, which ends at 10:20am" },
    });
    const overrun = edit(itemB.id, { version: String(await panelVersion(panel.id)), slotMinutes: "120" });
    await expect(overrun).rejects.toMatchObject({ fieldErrors: { slotMinutes: "This slot runs past the end of the panel at 12:00pm" } });
    expect((await itemsOn(panel.id))[1].slot_minutes).toBe(15);

    await moveAgendaItem(deps(), chair, panel.id, { version: await panelVersion(panel.id), itemId: itemB.id, direction: "up" });
    agenda = await viewAgenda(deps(), chair, panel.id);
    expect(agenda.items.map((i) => [i.reference, i.slot.startsAt.toISOString()])).toEqual([
      [b.reference, "2026-12-09T10:00:00.000Z"],
      [a.reference, "2026-12-09T10:15:00.000Z"],
    ]);
    // The health partner's slot invite followed the move: same UID, higher SEQUENCE.
    const toNurse = await t.db.selectFrom("outbox").selectAll().where("recipient", "=", p.nurse.email).orderBy("id").execute();
    // Beside her invites, one email linking to her pack.
    expect(toNurse.filter((m) => m.kind === "pack_ready")).toHaveLength(1);
    const slotMails = toNurse.filter((m) => m.kind !== "pack_ready");
    expect(slotMails.map((m) => m.kind)).toEqual(["slot_invite", "slot_updated"]);
    expect(slotMails[1].ics).toContain(`UID:panel-${panel.id}-item-${itemA.id}@threshold.example.org`);
    const sequenceOf = (ics: string | null) => Number(/SEQUENCE:(\d+)/.exec(ics ?? "")?.[1]);
    expect(sequenceOf(slotMails[1].ics)).toBeGreaterThan(sequenceOf(slotMails[0].ics));
    expect(slotMails[1].ics).toContain("DTSTART;TZID=Europe/London:20261209T101500");
  });

  it("moves one panel or changes its place: updated invites with the same UID, slots following, clashes refused", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const [, panel] = await panelsOf(p.area.id);
    await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    await sendAgenda(deps(), actorFor(p.chair), panel.id, { version: await panelVersion(panel.id) });
    panel.version = await panelVersion(panel.id);
    const form = (over: Record<string, string>) =>
      parsed(
        validate(panelDetailsSchema("2026-11-23"), {
          version: String(panel.version),
          meetingDay: "10",
          meetingMonth: "12",
          meetingYear: "2026",
          startTime: "14:00",
          endTime: "16:00",
          venue: "Town Hall",
          ...over,
        }),
      );
    await expect(changePanelDetails(deps(), actorFor(p.chair), panel.id, form({ meetingDay: "23" }))).rejects.toMatchObject({
      fieldErrors: { meetingDay: "This area already has a panel that day" },
    });
    expect(
      validate(panelDetailsSchema("2026-11-23"), {
        version: "1",
        meetingDay: "1",
        meetingMonth: "11",
        meetingYear: "2026",
        startTime: "10:00",
        endTime: "09:00",
      }),
    ).toMatchObject({
      ok: false,
      errors: { meetingDay: "The date of the panel must be today or in the future", endTime: "The end time must be after the start time" },
    });
    await changePanelDetails(deps(), actorFor(p.chair), panel.id, form({}));
    const moved = (await panelsOf(p.area.id)).find((x) => x.id === panel.id)!;
    expect(moved).toMatchObject({ meeting_date: "2026-12-10", venue: "Town Hall", invite_sequence: 1 });
    const updates = await t.db.selectFrom("outbox").selectAll().where("kind", "=", "panel_updated").execute();
    expect(updates.map((u) => u.recipient).sort()).toEqual([p.chair.email, p.ehWorker.email].sort());
    expect(updates[0].ics).toContain(`UID:panel-${panel.id}@threshold.example.org`);
    expect(updates[0].ics).toContain("SEQUENCE:1");
    expect(updates[0].ics).toContain("DTSTART;TZID=Europe/London:20261210T140000");
    const slot = await t.db
      .selectFrom("outbox")
      .selectAll()
      .where("kind", "=", "slot_updated")
      .where("recipient", "=", p.referrer.email)
      .executeTakeFirst();
    expect(slot?.ics).toContain("DTSTART;TZID=Europe/London:20261210T140000");
  });

  it("never lets two people overwrite each other's agenda changes", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panel = (await panelsOf(p.area.id))[1];
    await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    const [item] = await itemsOn(panel.id);
    const version = String(await panelVersion(panel.id));
    const results = await Promise.allSettled([
      editAgendaItem(deps(), actorFor(p.chair), panel.id, item.id, parsed(validate(agendaItemSchema, { version, slotMinutes: "10" }))),
      editAgendaItem(deps(), actorFor(p.deputy), panel.id, item.id, parsed(validate(agendaItemSchema, { version, slotMinutes: "30" }))),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(ConflictError);
  });

  it("runs a whole panel: attendance, decisions that move the cases, owned actions, conclusion and published minutes", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panel = (await panelsOf(p.area.id))[1];
    const up = await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    const down = await submitCompleteRequest(deps(), p.referrer, "step_down", p.area.id);
    const deferred = await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    const chair = actorFor(p.chair);

    clock.set("2026-12-09T09:58:00Z");
    const today = "2026-12-09";
    await expect(decideItem(deps(), chair, panel.id, decisionForm(today, (await itemsOn(panel.id))[0].id, 1))).rejects.toThrowError(
      FormError,
    );
    await startMeeting(deps(), chair, panel.id, { version: await panelVersion(panel.id) });
    let meeting = await viewMeeting(deps(), chair, panel.id);
    expect(meeting.panel.status).toBe("in_session");
    expect(meeting.missing.map((m) => m.label)).toEqual(["children's social care", "early help"]);
    const chairSeat = meeting.attendees.find((a) => a.user_id === p.chair.id)!;
    await recordAttendance(deps(), chair, panel.id, await panelVersion(panel.id), [{ attendeeId: chairSeat.id, attendance: "in_person" }]);
    meeting = await viewMeeting(deps(), chair, panel.id);
    expect(meeting.missing.map((m) => m.label)).toEqual(["early help"]);

    const items = await itemsOn(panel.id);
    const itemFor = (requestId: number) => items.find((i) => i.request_id === requestId)!;

    // A decision without reasons or a risk holder is refused at the form.
    const noReasons = validate((await import("../../app/forms/panel")).itemDecisionSchema(today), {
      itemId: String(itemFor(up.requestId).id),
      caseVersion: "2",
      outcome: "step_up_agreed",
      reasons: " ",
      riskHolder: "",
      riskHolderName: "",
    });
    expect(noReasons).toMatchObject({
      ok: false,
      errors: { reasons: "Enter the reasons for the decision", riskHolder: "Choose who holds the risk" },
    });

    const upItem = itemFor(up.requestId);
    await decideItem(
      deps(),
      chair,
      panel.id,
      decisionForm(today, upItem.id, await caseVersion(upItem.case_id), { discussion: "School and health agree" }),
    );
    expect((await viewCase(deps(), chair, up.reference)).case.status).toBe("social_care");

    const downItem = itemFor(down.requestId);
    // A step-down needs its lead practitioner and the transfer meeting date.
    expect(() => decisionForm(today, downItem.id, 2, { outcome: "step_down_agreed_early_help" })).toThrowError(/leadPractitioner/);
    await decideItem(
      deps(),
      chair,
      panel.id,
      decisionForm(today, downItem.id, await caseVersion(downItem.case_id), {
        outcome: "step_down_agreed_early_help",
        riskHolder: "Early Help Team North, locality team, Early Help",
        leadPractitioner: String(p.ehWorker.id),
        transferDay: "16",
        transferMonth: "12",
        transferYear: "2026",
        reviewDay: "20",
        reviewMonth: "1",
        reviewYear: "2027",
        challenge: "Health disagreed: wants a further month of social work",
      }),
    );
    const downCase = await viewCase(deps(), chair, down.reference);
    expect(downCase.case.status).toBe("early_help");
    expect(downCase.case.lead_practitioner).toBe(`Ed Early, ${p.ehWorker.agencyName}`); // a chosen user: name and agency

    // Actions: an owner is required and the due date cannot be in the past.
    expect(() => actionForm(today, upItem.id, p.nurse, "2026-12-08")).toThrowError(/dueDay/);
    expect(() => actionForm(today, upItem.id, p.nurse, "2026-12-20", { owner: "" })).toThrowError(/owner/);
    await addAction(deps(), chair, panel.id, actionForm(today, upItem.id, p.nurse, "2026-12-11"));
    await addAction(
      deps(),
      chair,
      panel.id,
      actionForm(today, downItem.id, "new", "2026-12-16", {
        description: "Arrange the transfer meeting",
        newOwnerName: "Vic Volunteer",
        newOwnerEmail: "vic@volunteers.example.org",
        newOwnerAgencyId: String(p.earlyHelp.id),
      }),
    );
    const invited = await t.db
      .selectFrom("users")
      .select(["id", "role", "password_hash"])
      .where("email", "=", "vic@volunteers.example.org")
      .executeTakeFirstOrThrow();
    expect(invited).toMatchObject({ role: "partner", password_hash: null });

    // Concluding with an undecided item is refused and says why.
    await expect(concludePanel(deps(), chair, panel.id, { version: await panelVersion(panel.id) })).rejects.toMatchObject({
      fieldErrors: { form: "The panel cannot conclude: 1 item has no decision yet." },
    });

    const deferredItem = itemFor(deferred.requestId);
    await decideItem(
      deps(),
      chair,
      panel.id,
      decisionForm(today, deferredItem.id, await caseVersion(deferredItem.case_id), {
        outcome: "deferred",
        reasons: "Needs the health assessment first",
      }),
    );
    const nextPanel = (await panelsOf(p.area.id))[2];
    expect((await itemsOn(nextPanel.id)).map((i) => i.request_id)).toEqual([deferred.requestId]);

    await concludePanel(deps(), chair, panel.id, { version: await panelVersion(panel.id) });
    // Finished before its planned end: home's "Next panel" is the next one, not this.
    expect((await homeSummary(deps(), actorFor(p.chair)))?.nextPanel?.startsAt).toEqual(new Date("2026-12-23T10:00:00Z"));
    const draft = await viewMinutes(deps(), chair, panel.id);
    expect(draft.mayPublish).toBe(true);
    // Reading the minutes (decisions on named cases) is audited with the references read.
    const reads = await t.db.selectFrom("audit_events").select(["action", "detail"]).where("action", "=", "panel.minutes_viewed").execute();
    expect(reads[0].detail).toEqual({ cases: [up.reference, down.reference, deferred.reference] });
    expect(draft.minutes.items.map((i) => [i.reference, i.outcome, i.riskHolder, i.actions.map((a) => a.owner)])).toEqual([
      // The agreed step up starts the hand-over: naming the social worker and the transfer meeting are the chair's, as the area's social care manager.
      [up.reference, "Step up agreed", "Chris Chair, team manager, Children's Social Care", ["Chris Chair", "Chris Chair", "Nina Nurse"]],
      [down.reference, "Step down agreed to early help", "Early Help Team North, locality team, Early Help", ["Vic Volunteer"]],
      [deferred.reference, "Deferred to the next panel (more information needed)", "Chris Chair, team manager, Children's Social Care", []],
    ]);
    expect(draft.minutes.items[1]).toMatchObject({
      transferDate: "2026-12-16",
      reviewDate: "2027-01-20",
      challenge: "Health disagreed: wants a further month of social work",
    });
    // Partners see the minutes only once published.
    await expect(viewMinutes(deps(), actorFor(p.ehWorker), panel.id)).rejects.toMatchObject({ status: 404 });

    clock.set("2026-12-09T13:00:00Z");
    await publishMinutes(deps(), chair, panel.id, { version: await panelVersion(panel.id) });
    expect((await viewMinutes(deps(), actorFor(p.ehWorker), panel.id)).minutes.items).toHaveLength(3);
    // Someone never invited to the panel cannot read its minutes.
    await expect(viewMinutes(deps(), actorFor(p.nurse), panel.id)).rejects.toMatchObject({ status: 404 });
    const minutesMail = await t.db.selectFrom("outbox").select(["recipient"]).where("kind", "=", "minutes_published").execute();
    expect(minutesMail.map((m) => m.recipient)).toContain(p.ehWorker.email);
    expect(minutesMail.map((m) => m.recipient)).toContain(p.referrer.email);
    expect(minutesMail.map((m) => m.recipient)).toContain(p.chair.email);
    const transitions = await t.db
      .selectFrom("panel_transitions")
      .select(["event", "to_status"])
      .where("panel_id", "=", panel.id)
      .orderBy("id")
      .execute();
    expect(transitions.map((x) => x.to_status)).toEqual(["agenda_open", "agenda_closed", "in_session", "concluded", "minutes_published"]);

    // The owner sees the action, due soon, and marks it done with a note.
    const mine = await myActions(deps(), actorFor(p.nurse));
    expect(mine.dueSoon.map((a) => a.reference)).toEqual([up.reference]);
    expect(await homeSummary(deps(), actorFor(p.nurse))).toMatchObject({ open: 1, dueSoon: 1, overdue: 0, challenges: 0 });
    expect((await homeSummary(deps(), actorFor(p.chair)))?.nextPanel?.startsAt).toEqual(new Date("2026-12-23T10:00:00Z"));
    await completeAction(deps(), actorFor(p.nurse), { actionId: mine.dueSoon[0].id, note: "Allocated to Sam Social Worker" });
    expect((await myActions(deps(), actorFor(p.nurse))).done).toHaveLength(1);
    await expect(completeAction(deps(), actorFor(p.chair), { actionId: mine.dueSoon[0].id, note: "x" })).rejects.toMatchObject({
      status: 404,
    });
    clock.set("2026-12-20T09:00:00Z");
    expect((await myActions(deps(), { user: { ...p.nurse, id: invited.id }, ip: null })).overdue.map((a) => a.reference)).toEqual([
      down.reference,
    ]);

    // Nothing that left the building names the child.
    const mail = await t.db.selectFrom("outbox").select(["subject", "text_body", "html_body", "ics"]).execute();
    const everything = JSON.stringify(mail);
    for (const secret of ["Jamie", "Example", "1 Test Street", "2015-03-14", "14/03/2015"]) expect(everything).not.toContain(secret);
  });

  it("cancels a panel: its requests move to the next panel and its invites are cancelled", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const [, panel, next] = await panelsOf(p.area.id);
    const a = await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    await expect(
      cancelPanel(deps(), actorFor(p.nurse), panel.id, { version: await panelVersion(panel.id), reason: "x" }),
    ).rejects.toMatchObject({ status: 404 });
    await cancelPanel(deps(), actorFor(p.chair), panel.id, { version: await panelVersion(panel.id), reason: "Chair unwell" });
    expect((await panelsOf(p.area.id)).find((x) => x.id === panel.id)).toMatchObject({
      status: "cancelled",
      cancelled_reason: "Chair unwell",
    });
    expect((await itemsOn(next.id)).map((i) => i.request_id)).toEqual([a.requestId]);
    const cancels = await t.db.selectFrom("outbox").selectAll().where("kind", "=", "panel_cancelled").execute();
    expect(cancels.map((c) => c.recipient).sort()).toEqual([p.chair.email, p.ehWorker.email].sort());
    expect(cancels[0].ics).toContain("METHOD:CANCEL");
    expect(cancels[0].ics).toContain(`UID:panel-${panel.id}@threshold.example.org`);
    expect(cancels[0].ics).toContain("SEQUENCE:1");
    expect(cancels[0].subject).toMatch(/^Cancelled: /);
  });

  it("sends an agenda once: preparing it emails nobody, sending it gives each invitee one invite, then only changes go out", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panel = (await panelsOf(p.area.id))[1];
    for (let i = 0; i < 7; i++) await submitCompleteRequest(deps(), p.referrer, i % 2 ? "step_down" : "step_up", p.area.id);
    const items = await itemsOn(panel.id);
    expect(items).toHaveLength(7);
    const chair = actorFor(p.chair);
    const version = async () => String(await panelVersion(panel.id));
    const slotMails = () => t.db.selectFrom("outbox").select(["recipient", "kind"]).where("kind", "like", "slot_%").orderBy("id").execute();
    // The walk: 7 slot edits (health invited to one item only), 2 moves.
    for (const [index, item] of items.entries()) {
      await editAgendaItem(
        deps(),
        chair,
        panel.id,
        item.id,
        parsed(
          validate(agendaItemSchema, { version: await version(), slotMinutes: "10", agencyIds: index === 2 ? [String(p.health.id)] : [] }),
        ),
      );
    }
    await moveAgendaItem(deps(), chair, panel.id, { version: Number(await version()), itemId: items[2]!.id, direction: "up" });
    await moveAgendaItem(deps(), chair, panel.id, { version: Number(await version()), itemId: items[5]!.id, direction: "down" });
    expect(await slotMails()).toEqual([]);

    await sendAgenda(deps(), chair, panel.id, { version: Number(await version()) });
    const sent = await slotMails();
    const perInvitee = new Map<string, number>();
    for (const mail of sent) perInvitee.set(mail.recipient, (perInvitee.get(mail.recipient) ?? 0) + 1);
    process.stdout.write(`agenda sent once: ${sent.length} slot emails to ${perInvitee.size} invitees after 7 edits and 2 moves\n`);
    expect(sent).toEqual([{ recipient: p.nurse.email, kind: "slot_invite" }]);
    await expect(sendAgenda(deps(), chair, panel.id, { version: Number(await version()) })).rejects.toMatchObject({
      message: "The agenda has already been sent",
    });

    // After it is sent, a change that moves the nurse's item reaches her; one that does not, nobody.
    await moveAgendaItem(deps(), chair, panel.id, { version: Number(await version()), itemId: items[6]!.id, direction: "up" });
    expect(await slotMails()).toHaveLength(1);
    await moveAgendaItem(deps(), chair, panel.id, { version: Number(await version()), itemId: items[2]!.id, direction: "down" });
    expect((await slotMails()).map((m) => m.kind)).toEqual(["slot_invite", "slot_updated"]);
  });

  it("sends an agenda nobody sent the day before its panel", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panel = (await panelsOf(p.area.id))[1];
    await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    const [item] = await itemsOn(panel.id);
    await editAgendaItem(
      deps(),
      actorFor(p.chair),
      panel.id,
      item!.id,
      parsed(
        validate(agendaItemSchema, { version: String(await panelVersion(panel.id)), slotMinutes: "15", agencyIds: [String(p.health.id)] }),
      ),
    );
    expect(await sendDueAgendas(deps())).toEqual({ agendasSent: 0 });
    clock.set(new Date(new Date(panel.starts_at).getTime() - 23 * 60 * 60_000).toISOString());
    // This panel's, and the one before it (also never sent).
    expect((await sendDueAgendas(deps())).agendasSent).toBeGreaterThanOrEqual(1);
    expect(await t.db.selectFrom("outbox").select("kind").where("recipient", "=", p.nurse.email).orderBy("id").execute()).toEqual([
      { kind: "slot_invite" },
      { kind: "pack_ready" },
    ]);
  });

  it("runs the agenda and chairing pages for 60 items in a fixed number of queries", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panel = (await panelsOf(p.area.id))[1];
    await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    const counter = new QueryCounter();
    const counted = () => ({ ...deps(), db: t.db.withPlugin(counter) });
    await viewAgenda(counted(), actorFor(p.chair), panel.id);
    const forOne = counter.count;
    counter.count = 0;
    await viewMeeting(counted(), actorFor(p.chair), panel.id);
    const meetingForOne = counter.count;

    for (let i = 0; i < 59; i++) await submitCompleteRequest(deps(), p.referrer, i % 2 ? "step_up" : "step_down", p.area.id);
    expect(await itemsOn(panel.id)).toHaveLength(60);
    counter.count = 0;
    const agenda = await viewAgenda(counted(), actorFor(p.chair), panel.id);
    expect(agenda.items).toHaveLength(60);
    expect(counter.count).toBe(forOne);
    counter.count = 0;
    await viewMeeting(counted(), actorFor(p.chair), panel.id);
    expect(counter.count).toBe(meetingForOne);
    // The items, agencies, attendees, late requests, declarations of interest, possible matches and the audit row;
    // the chairing page also reads the last panel's minutes awaiting approval.
    expect(forOne).toBeLessThanOrEqual(8);
    expect(meetingForOne).toBeLessThanOrEqual(13);
  });

  it("lets a service manager call an extraordinary panel, moving chosen requests onto it and inviting everyone at once", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const routine = (await panelsOf(p.area.id))[1];
    const downs = [];
    for (let i = 0; i < 3; i++) downs.push(await submitCompleteRequest(deps(), p.referrer, "step_down", p.area.id));
    const items = await itemsOn(routine.id);
    const form = (over: Record<string, string | string[]> = {}) =>
      parsed(
        validate(extraordinarySchema("2026-11-23"), {
          areaId: String(p.area.id),
          meetingDay: "26",
          meetingMonth: "11",
          meetingYear: "2026",
          startTime: "14:00",
          endTime: "15:30",
          reason: "Spike in step-down requests",
          requestIds: items.slice(0, 2).map((i) => String(i.id)),
          ...over,
        }),
      );
    await expect(callExtraordinaryPanel(deps(), actorFor(p.chair), form())).rejects.toMatchObject({ status: 403 });
    const panelId = await callExtraordinaryPanel(deps(), actorFor(p.serviceManager), form());
    const agenda = await viewAgenda(deps(), actorFor(p.chair), panelId);
    expect(agenda.panel.kind).toBe("extraordinary");
    expect(agenda.panel.reason).toBe("Spike in step-down requests");
    expect(agenda.items.map((i) => i.reference)).toEqual([downs[0].reference, downs[1].reference]);
    expect((await itemsOn(routine.id)).filter((i) => i.status === "listed")).toHaveLength(1);
    const called = await t.db.selectFrom("outbox").selectAll().where("kind", "=", "extraordinary_called").execute();
    expect(called.map((c) => c.recipient).sort()).toEqual([p.chair.email, p.ehWorker.email, p.serviceManager.email].sort());
    expect(called[0].ics).toContain("DTSTART;TZID=Europe/London:20261126T140000");
    const listed = await listPanels(deps(), actorFor(p.chair));
    expect(listed.upcoming.find((x) => x.id === panelId)?.kind).toBe("extraordinary");

    // A team manager asks; a service manager declines with a reason, or approves.
    const asked = await requestExtraordinaryPanel(deps(), actorFor(p.chair), form({ requestIds: [String(items[2].id)], meetingDay: "27" }));
    await expect(decideExtraordinaryRequest(deps(), actorFor(p.chair), asked, { approve: true })).rejects.toMatchObject({ status: 403 });
    const approved = await decideExtraordinaryRequest(deps(), actorFor(p.serviceManager), asked, { approve: true });
    expect((await itemsOn(approved!)).map((i) => i.request_id)).toEqual([items[2].request_id]);

    // The caller chooses who is invited: the early help core member unticked, the health partner added.
    const chosen = await callExtraordinaryPanel(
      deps(),
      actorFor(p.serviceManager),
      form({ requestIds: [], meetingDay: "1", meetingMonth: "12", attendeesShown: "yes", attendeeIds: [String(p.nurse.id)] }),
    );
    const invited = await t.db.selectFrom("panel_attendees").select(["user_id", "role"]).where("panel_id", "=", chosen).execute();
    expect(invited.map((a) => a.user_id).sort()).toEqual([p.chair.id, p.nurse.id, p.serviceManager.id].sort());
    // Someone not of the area is refused next to the list.
    const stranger = await createUser(t.db, { role: "partner", areaId: (await createArea(t.db)).id });
    await expect(
      callExtraordinaryPanel(
        deps(),
        actorFor(p.serviceManager),
        form({ requestIds: [], meetingDay: "2", meetingMonth: "12", attendeesShown: "yes", attendeeIds: [String(stranger.id)] }),
      ),
    ).rejects.toMatchObject({ fieldErrors: { attendeeIds: "Choose people from the list" } });
    const again = await requestExtraordinaryPanel(deps(), actorFor(p.chair), form({ requestIds: [], meetingDay: "30" }));
    await decideExtraordinaryRequest(deps(), actorFor(p.serviceManager), again, { approve: false, reason: "The routine panel has room" });
    expect(await t.db.selectFrom("outbox").select("recipient").where("kind", "=", "extraordinary_declined").execute()).toEqual([
      { recipient: p.chair.email },
    ]);
  });

  it("takes a withdrawn request off its agenda and cancels its partners' slot invites", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panel = (await panelsOf(p.area.id))[1];
    const a = await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    const [item] = await itemsOn(panel.id);
    await editAgendaItem(
      deps(),
      actorFor(p.chair),
      panel.id,
      item.id,
      parsed(
        validate(agendaItemSchema, { version: String(await panelVersion(panel.id)), slotMinutes: "15", userIds: [String(p.nurse.id)] }),
      ),
    );
    await sendAgenda(deps(), actorFor(p.chair), panel.id, { version: await panelVersion(panel.id) });
    await actOnCase(deps(), actorFor(p.referrer), a.reference, {
      action: "withdraw",
      version: await caseVersion(item.case_id),
      reason: "Family moved away",
    });
    expect((await itemsOn(panel.id))[0].status).toBe("withdrawn");
    const toNurse = await t.db
      .selectFrom("outbox")
      .select(["kind", "ics_method"])
      .where("recipient", "=", p.nurse.email)
      .orderBy("id")
      .execute();
    expect(toNurse).toEqual([
      { kind: "slot_invite", ics_method: "REQUEST" },
      { kind: "pack_ready", ics_method: null },
      { kind: "slot_cancelled", ics_method: "CANCEL" },
    ]);
  });

  it("opens agendas three weeks before cut-off and closes them at the cut-off, on the worker's clock", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    await runPanelHousekeeping(deps());
    let statuses = (await panelsOf(p.area.id)).map((x) => x.status);
    expect(statuses.slice(0, 3)).toEqual(["agenda_closed", "agenda_open", "scheduled"]);
    clock.set("2026-12-02T16:00:00Z");
    await runPanelHousekeeping(deps());
    statuses = (await panelsOf(p.area.id)).map((x) => x.status);
    expect(statuses[1]).toBe("agenda_closed");
  });
});
