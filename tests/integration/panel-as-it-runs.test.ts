import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { FormError } from "../../app/lib/errors";
import { listPanels } from "../../app/services/agenda.server";
import { addAttendee, concludePanel, decideItem, goAheadWithout, startMeeting, viewMeeting } from "../../app/services/meeting.server";
import { editAgendaItem, sendAgenda } from "../../app/services/agenda.server";
import { myActions } from "../../app/services/actions.server";
import { correctDecision, viewDecisionForCorrection } from "../../app/services/decision-correction.server";
import { viewCase } from "../../app/services/cases.server";
import { publishMinutes, viewMinutes } from "../../app/services/minutes.server";
import { addAttendeeSchema, agendaItemSchema, correctDecisionSchema, goAheadWithoutSchema } from "../../app/forms/panel";
import { validate } from "../../app/lib/validation";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, createAgency, createUser } from "../support/factories";
import { decisionForm, panelArea, parsed } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";

describe.each(backends)("the panel as it really runs (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock, settings: { appUrl: "https://threshold.example.org" } });

  async function panelsOf(areaId: number) {
    return t.db.selectFrom("panels").selectAll().where("area_id", "=", areaId).orderBy("starts_at").execute();
  }

  async function panelVersion(id: number) {
    return (await t.db.selectFrom("panels").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;
  }

  it("starts a panel before its date only with a reason, recorded and audited; it leaves Coming panels and calendars follow", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panel = (await panelsOf(p.area.id))[1]; // 9 December
    await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    clock.set("2026-12-07T10:00:00Z");
    const chair = actorFor(p.chair);
    const refused = await startMeeting(deps(), chair, panel.id, { version: await panelVersion(panel.id) }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FormError);
    expect((refused as FormError).fieldErrors.earlyReason).toContain("planned for 9 December 2026");
    expect((await panelsOf(p.area.id))[1].status).not.toBe("in_session");

    const sequence = (await panelsOf(p.area.id))[1].invite_sequence;
    await startMeeting(deps(), chair, panel.id, { version: await panelVersion(panel.id), earlyReason: "Moved forward by agreement" });
    const held = (await panelsOf(p.area.id))[1];
    expect(held).toMatchObject({
      status: "in_session",
      meeting_date: "2026-12-07",
      held_early_from: "2026-12-09",
      held_early_reason: "Moved forward by agreement",
    });
    expect(held.invite_sequence).toBe(sequence + 1);
    const transitions = await t.db
      .selectFrom("panel_transitions")
      .selectAll()
      .where("panel_id", "=", panel.id)
      .where("event", "=", "START")
      .execute();
    expect(transitions.map((x) => x.reason)).toEqual(["Moved forward by agreement"]);
    const audit = await t.db.selectFrom("audit_events").selectAll().where("action", "=", "panel.started_early").execute();
    expect(audit.map((a) => a.detail)).toEqual([{ plannedFor: "2026-12-09", reason: "Moved forward by agreement" }]);
    // Invitees' calendars follow: an updated REQUEST with the same UID and the higher SEQUENCE.
    const updates = await t.db.selectFrom("outbox").select(["recipient", "ics"]).where("kind", "=", "panel_updated").execute();
    expect(updates.map((u) => u.recipient).sort()).toEqual([p.chair.email, p.ehWorker.email].sort());
    expect(updates[0].ics).toContain(`SEQUENCE:${sequence + 1}`);
    expect(updates[0].ics).toContain("DTSTART;TZID=Europe/London:20261207T100000");

    const { upcoming, recent } = await listPanels(deps(), chair);
    expect(upcoming.map((x) => x.id)).not.toContain(panel.id);
    expect(recent.map((x) => x.id)).toContain(panel.id);
  });

  it("adds people who turn up, with or without an account; their agency counts, and the warning clears with a reason for going ahead", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panel = (await panelsOf(p.area.id))[1];
    await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    clock.set("2026-12-09T09:58:00Z");
    const chair = actorFor(p.chair);
    await startMeeting(deps(), chair, panel.id, { version: await panelVersion(panel.id) });
    const form = (values: Record<string, string>) => parsed(validate(addAttendeeSchema, { joinedAs: "in_person", ...values }));

    // A guest without an account, from early help: early help is now represented.
    await addAttendee(
      deps(),
      chair,
      panel.id,
      form({ person: "guest", guestName: "Gail Guest", guestRole: "family support worker", guestAgencyId: String(p.earlyHelp.id) }),
    );
    let meeting = await viewMeeting(deps(), chair, panel.id);
    expect(meeting.missing.map((m) => m.label)).toEqual(["children's social care"]);
    expect(meeting.attendees.find((a) => a.name === "Gail Guest")).toMatchObject({
      role: "present",
      guest_role: "family support worker",
      attendance: "in_person",
      user_id: null,
    });

    // A user who turned up; added twice is refused with a field error and nothing changes.
    await addAttendee(deps(), chair, panel.id, form({ person: String(p.deputy.id), joinedAs: "online" }));
    const twice = await addAttendee(deps(), chair, panel.id, form({ person: String(p.deputy.id) })).catch((e: unknown) => e);
    expect((twice as FormError).fieldErrors.person).toBe("Dee Deputy is already on the attendance list: mark them present there");
    const guestTwice = await addAttendee(
      deps(),
      chair,
      panel.id,
      form({ person: "guest", guestName: "gail guest", guestRole: "x", guestAgencyId: String(p.earlyHelp.id) }),
    ).catch((e: unknown) => e);
    expect((guestTwice as FormError).fieldErrors.guestName).toBe("Gail Guest is already on the attendance list");
    meeting = await viewMeeting(deps(), chair, panel.id);
    expect(meeting.missing).toEqual([]); // the deputy is from children's social care
    expect(meeting.attendees.filter((a) => a.role === "present")).toHaveLength(2);

    // Incomplete guest details are refused at the form, each next to its field.
    expect(validate(addAttendeeSchema, { person: "guest", joinedAs: "in_person" })).toMatchObject({
      ok: false,
      errors: {
        guestName: "Enter the name of the person who has joined",
        guestRole: "Enter their role, like school nurse",
        guestAgencyId: "Choose the agency they are from",
      },
    });
    // Someone who joined is not invited to the whole panel: the deputy still sees only what a team manager sees, and a guest is never emailed.
    expect(meeting.attendees.every((a) => a.role !== "present" || a.user_id === null || a.user_id === p.deputy.id)).toBe(true);
  });

  it("records why a panel goes ahead without early help, which clears the warning and is kept on the panel", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panel = (await panelsOf(p.area.id))[1];
    await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    clock.set("2026-12-09T09:58:00Z");
    const chair = actorFor(p.chair);
    await startMeeting(deps(), chair, panel.id, { version: await panelVersion(panel.id) });
    expect(validate(goAheadWithoutSchema, { version: "1", kind: "early_help", reason: " " })).toMatchObject({
      ok: false,
      errors: { reason: "Enter why the panel goes ahead without them" },
    });
    await goAheadWithout(
      deps(),
      chair,
      panel.id,
      parsed(
        validate(goAheadWithoutSchema, {
          version: String(await panelVersion(panel.id)),
          kind: "early_help",
          reason: "Written views received for each item",
        }),
      ),
    );
    const meeting = await viewMeeting(deps(), chair, panel.id);
    expect(meeting.missing.map((m) => m.label)).toEqual(["children's social care"]);
    expect(meeting.panel.going_ahead_without).toEqual({ early_help: "Written views received for each item" });
  });

  it("tells the receiving early help team of an agreed step down and puts the transfer meeting in their actions", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const erin = await createUser(t.db, { role: "team_manager", areaId: p.area.id, agencyId: p.earlyHelp.id, name: "Erin Early" });
    const panel = (await panelsOf(p.area.id))[1];
    const down = await submitCompleteRequest(deps(), p.referrer, "step_down", p.area.id);
    clock.set("2026-12-09T09:58:00Z");
    const chair = actorFor(p.chair);
    await startMeeting(deps(), chair, panel.id, { version: await panelVersion(panel.id) });
    const item = await t.db.selectFrom("agenda_items").selectAll().where("request_id", "=", down.requestId).executeTakeFirstOrThrow();
    const cv = (await t.db.selectFrom("cases").select("version").where("id", "=", item.case_id).executeTakeFirstOrThrow()).version;
    await decideItem(
      deps(),
      chair,
      panel.id,
      decisionForm("2026-12-09", item.id, cv, {
        outcome: "step_down_agreed_early_help",
        riskHolder: String(erin.id),
        leadPractitioner: String(p.ehWorker.id),
        transferDay: "16",
        transferMonth: "12",
        transferYear: "2026",
      }),
    );
    const told = await t.db
      .selectFrom("outbox")
      .select(["recipient", "subject", "text_body"])
      .where("kind", "=", "transfer_notice")
      .execute();
    expect(told.map((m) => m.recipient)).toEqual([erin.email]);
    expect(told[0].subject).toBe(`Threshold: case ${down.reference} is stepping down to your service`);
    expect(told[0].text_body).toContain(`Lead practitioner: Ed Early, ${p.ehWorker.agencyName}.`);
    expect(told[0].text_body).toContain("Transfer meeting or joint visit: 16 December 2026.");
    const mine = await myActions(deps(), actorFor(erin));
    const open = [...mine.overdue, ...mine.dueSoon, ...mine.later];
    expect(open.map((a) => [a.reference, a.due_date])).toEqual([[down.reference, "2026-12-16"]]);
    expect(open[0].description).toContain("Hold the transfer meeting or joint visit");
  });

  it("asks for a contact when an invited agency has nobody signed up, invites them and keeps them for next time", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const dental = await createAgency(t.db, "other", "Smile Dental Practice");
    const panel = (await panelsOf(p.area.id))[1];
    await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    const item = (await t.db.selectFrom("agenda_items").selectAll().where("panel_id", "=", panel.id).execute())[0];
    const form = (over: Record<string, string | string[]> = {}) =>
      validate(agendaItemSchema, { version: String(panel.version), slotMinutes: "15", agencyIds: [String(dental.id)], ...over });
    const version = async () => String(await panelVersion(panel.id));
    const silent = await editAgendaItem(deps(), actorFor(p.chair), panel.id, item.id, parsed(form({ version: await version() }))).catch(
      (e: unknown) => e,
    );
    expect((silent as FormError).fieldErrors.agencyIds).toBe(
      "Nobody at Smile Dental Practice has an account in this area, so nobody there would be invited. Name a contact for the invite, or untick the agency",
    );
    expect(
      validate(agendaItemSchema, { version: "1", slotMinutes: "15", contactName: "Dee Dentist", contactEmail: "not an address" }),
    ).toMatchObject({
      ok: false,
      errors: {
        contactEmail: "Enter the contact's email address, like name@example.org",
        contactAgencyId: "Choose the agency the contact is from",
      },
    });
    await editAgendaItem(
      deps(),
      actorFor(p.chair),
      panel.id,
      item.id,
      parsed(
        form({
          version: await version(),
          contactName: "Dee Dentist",
          contactEmail: "dee@smile.example.org",
          contactAgencyId: String(dental.id),
        }),
      ),
    );
    await sendAgenda(deps(), actorFor(p.chair), panel.id, { version: Number(await version()) });
    const agency = await t.db.selectFrom("agencies").selectAll().where("id", "=", dental.id).executeTakeFirstOrThrow();
    expect([agency.contact_name, agency.contact_email]).toEqual(["Dee Dentist", "dee@smile.example.org"]);
    const mail = await t.db.selectFrom("outbox").select(["kind"]).where("recipient", "=", "dee@smile.example.org").execute();
    expect(mail.map((m) => m.kind).sort()).toEqual(["invitation", "pack_ready", "slot_invite"]);
    // An agency whose only person in the area is a team manager has someone: no question asked, and she is invited.
    const hub = await createAgency(t.db, "early_help", "Crewe Family Hub");
    const manager = await createUser(t.db, {
      role: "team_manager",
      agencyId: hub.id,
      areaId: p.area.id,
      email: "hub.manager@example.test",
    });
    await editAgendaItem(
      deps(),
      actorFor(p.chair),
      panel.id,
      item.id,
      parsed(form({ version: await version(), agencyIds: [String(dental.id), String(hub.id)] })),
    );
    const hubMail = await t.db.selectFrom("outbox").select(["kind"]).where("recipient", "=", manager.email).orderBy("id").execute();
    // Invited after the agenda went, she is sent her invite and the link to her pack.
    expect(hubMail.map((m) => m.kind)).toEqual(["slot_invite", "pack_ready"]);
    // Next time the agency is invited, its contact is found: no question asked.
    await editAgendaItem(deps(), actorFor(p.chair), panel.id, item.id, parsed(form({ version: await version(), slotMinutes: "20" })));
  });

  it("corrects a decision: its panel's chair (not another team manager) until the minutes are published, then a service manager; both kept, the case follows, people are told", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panel = (await panelsOf(p.area.id))[1];
    const up = await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    clock.set("2026-12-09T09:58:00Z");
    const chair = actorFor(p.chair);
    await startMeeting(deps(), chair, panel.id, { version: await panelVersion(panel.id) });
    const item = await t.db.selectFrom("agenda_items").selectAll().where("request_id", "=", up.requestId).executeTakeFirstOrThrow();
    const caseVersion = async () =>
      (await t.db.selectFrom("cases").select("version").where("id", "=", item.case_id).executeTakeFirstOrThrow()).version;
    await decideItem(deps(), chair, panel.id, decisionForm("2026-12-09", item.id, await caseVersion()));
    const first = await t.db.selectFrom("decisions").selectAll().where("case_id", "=", item.case_id).executeTakeFirstOrThrow();
    const form = (over: Record<string, string> = {}) =>
      validate(correctDecisionSchema("2026-12-09"), {
        outcome: "not_agreed",
        reasons: "Early help plan still working; not agreed",
        riskHolder: String(p.chair.id),
        correctionReason: "The wrong outcome was selected at the meeting",
        ...over,
      });
    // Without a reason the correction is refused next to its field.
    expect(form({ correctionReason: " ", caseVersion: "1" })).toMatchObject({
      ok: false,
      errors: { correctionReason: "Enter why the decision is being corrected" },
    });

    // Another team manager of the area is not the panel's chair: refused, saying whom to ask, and nothing changes.
    const deputy = actorFor(p.deputy);
    await expect(viewDecisionForCorrection(deps(), deputy, first.id)).rejects.toMatchObject({ status: 403 });
    await expect(
      correctDecision(deps(), deputy, first.id, parsed(form({ caseVersion: String(await caseVersion()) }))),
    ).rejects.toMatchObject({ status: 403, message: expect.stringContaining("the chair of that panel or by a service manager") });
    expect(await t.db.selectFrom("decisions").select("id").where("case_id", "=", item.case_id).execute()).toHaveLength(1);
    expect((await viewDecisionForCorrection(deps(), chair, first.id)).correctable).toBe(true);
    await correctDecision(deps(), chair, first.id, parsed(form({ caseVersion: String(await caseVersion()) })));
    expect((await viewDecisionForCorrection(deps(), chair, first.id)).correctable).toBe(false);
    let decisions = await t.db.selectFrom("decisions").selectAll().where("case_id", "=", item.case_id).orderBy("id").execute();
    expect(decisions.map((d) => [d.outcome, d.superseded_by_decision_id !== null, d.correction_reason])).toEqual([
      ["step_up_agreed", true, null],
      ["not_agreed", false, "The wrong outcome was selected at the meeting"],
    ]);
    let theCase = await viewCase(deps(), chair, up.reference);
    expect(theCase.case.status).toBe("early_help");
    expect(theCase.case.risk_holder).toBe(`Chris Chair, ${p.chair.agencyName}`);
    expect(theCase.timeline.map((e) => e.title)).toEqual(
      expect.arrayContaining(["Decision: Step up agreed", "Decision corrected: Not agreed: stays where it is"]),
    );
    const corrected = await t.db.selectFrom("outbox").select(["recipient", "subject"]).where("kind", "=", "decision_corrected").execute();
    // The requester, and the area's other social care manager told of the step up, hear of the correction.
    expect(corrected.map((m) => m.recipient).sort()).toEqual([p.referrer.email, p.deputy.email].sort());
    // The step up's hand-over is no longer needed: its actions are closed, saying why.
    const handover = await t.db
      .selectFrom("actions")
      .select(["handover", "status", "done_note"])
      .where("case_id", "=", item.case_id)
      .where("handover", "is not", null)
      .orderBy("id")
      .execute();
    expect(handover).toEqual([
      { handover: "name_lead", status: "done", done_note: "Not needed: the decision that started the hand-over was corrected" },
      { handover: "transfer", status: "done", done_note: "Not needed: the decision that started the hand-over was corrected" },
    ]);
    expect(corrected[0].subject).toBe(`Threshold: a panel decision was corrected on case ${up.reference}`);

    // The meeting concludes with the corrected decision; once published only a service manager may correct it.
    await concludePanel(deps(), chair, panel.id, { version: await panelVersion(panel.id) });
    await publishMinutes(deps(), chair, panel.id, { version: await panelVersion(panel.id) });
    const latest = decisions[1];
    await expect(
      correctDecision(deps(), chair, latest.id, parsed(form({ caseVersion: String(await caseVersion()) }))),
    ).rejects.toMatchObject({ status: 403, message: expect.stringContaining("Ask a service manager to correct it") });
    // A decision already corrected is not corrected again.
    await expect(
      correctDecision(deps(), actorFor(p.serviceManager), first.id, parsed(form({ caseVersion: String(await caseVersion()) }))),
    ).rejects.toBeInstanceOf(FormError);
    await correctDecision(
      deps(),
      actorFor(p.serviceManager),
      latest.id,
      parsed(
        form({
          outcome: "step_up_agreed",
          reasons: "Agreed after all: new information from health",
          correctionReason: "Health's report arrived after the panel",
          caseVersion: String(await caseVersion()),
        }),
      ),
    );
    theCase = await viewCase(deps(), chair, up.reference);
    expect(theCase.case.status).toBe("social_care");
    decisions = await t.db.selectFrom("decisions").selectAll().where("case_id", "=", item.case_id).orderBy("id").execute();
    expect(decisions.map((d) => d.outcome)).toEqual(["step_up_agreed", "not_agreed", "step_up_agreed"]);
    const minutes = await viewMinutes(deps(), chair, panel.id);
    expect(minutes.minutes.items[0]).toMatchObject({
      outcome: "Step up agreed",
      decisionId: decisions[2].id,
      correction: { reason: "Health's report arrived after the panel", previousOutcome: "Not agreed: stays where it is" },
    });
    const audit = await t.db.selectFrom("audit_events").select("detail").where("action", "=", "case.decision_corrected").execute();
    expect(audit).toHaveLength(2);
  });

  it("refuses a deactivated risk holder or lead practitioner next to the field, saving nothing", async () => {
    clock.set("2026-11-23T09:00:00Z");
    const p = await panelArea(t.db, deps());
    const panel = (await panelsOf(p.area.id))[1];
    const down = await submitCompleteRequest(deps(), p.referrer, "step_down", p.area.id);
    clock.set("2026-12-09T09:58:00Z");
    const chair = actorFor(p.chair);
    await startMeeting(deps(), chair, panel.id, { version: await panelVersion(panel.id) });
    const item = await t.db.selectFrom("agenda_items").selectAll().where("request_id", "=", down.requestId).executeTakeFirstOrThrow();
    const cv = (await t.db.selectFrom("cases").select("version").where("id", "=", item.case_id).executeTakeFirstOrThrow()).version;
    // The form was read while Ed Early was active; his account is deactivated before it is sent.
    const form = decisionForm("2026-12-09", item.id, cv, {
      outcome: "step_down_agreed_early_help",
      leadPractitioner: String(p.ehWorker.id),
      transferDay: "16",
      transferMonth: "12",
      transferYear: "2026",
    });
    await t.db.updateTable("users").set({ active: false }).where("id", "=", p.ehWorker.id).execute();
    const refused = await decideItem(deps(), chair, panel.id, form).catch((e: unknown) => e);
    expect((refused as FormError).fieldErrors).toEqual({
      leadPractitioner: "Ed Early's account is deactivated: choose someone else, or name a contact",
    });
    expect(await t.db.selectFrom("decisions").select("id").where("case_id", "=", item.case_id).execute()).toEqual([]);
    expect((await t.db.selectFrom("cases").select("status").where("id", "=", item.case_id).executeTakeFirstOrThrow()).status).toBe(
      "step_down_requested",
    );
  });
});
