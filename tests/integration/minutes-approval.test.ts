import { describe, expect, it } from "vitest";
import { attendanceSchema } from "../../app/forms/panel";
import { fixedClock } from "../../app/lib/clock";
import { validate } from "../../app/lib/validation";
import { concludePanel, decideItem, recordAttendance, startMeeting } from "../../app/services/meeting.server";
import { publishMinutes } from "../../app/services/minutes.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, TEST_PASSWORD } from "../support/factories";
import { HttpClient } from "../support/http-client";
import { decisionForm, panelArea, parsed } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";
import { useTestServer } from "../support/server";

/**
 * The minutes approved at the next panel: its first business is the last
 * panel's published minutes, approved by the core members present with any
 * amendments recorded; the minutes then say who approved them, when and what
 * was amended, and they cannot be approved twice.
 */
describe.each(backends)("the minutes approved at the next panel (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });
  const deps = () => ({ db: t.db, clock, settings: { appUrl: "https://threshold.example.org" } });
  const version = async (id: number) =>
    (await t.db.selectFrom("panels").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;
  const startsAt = async (id: number) =>
    (await t.db.selectFrom("panels").select("starts_at").where("id", "=", id).executeTakeFirstOrThrow()).starts_at;

  it("puts the last minutes first at the next panel, approves them once with the amendments, and records who approved them", async () => {
    const p = await panelArea(t.db, deps());
    const chair = actorFor(p.chair);
    const first = await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    const firstPanel = first.panelId!;
    clock.set(new Date(new Date(await startsAt(firstPanel)).getTime() - 60_000));
    await startMeeting(deps(), chair, firstPanel, { version: await version(firstPanel) });
    const item = await t.db
      .selectFrom("agenda_items")
      .select(["id", "case_id"])
      .where("request_id", "=", first.requestId)
      .executeTakeFirstOrThrow();
    const cv = (await t.db.selectFrom("cases").select("version").where("id", "=", item.case_id).executeTakeFirstOrThrow()).version;
    await decideItem(deps(), chair, firstPanel, decisionForm(new Date(await startsAt(firstPanel)).toISOString().slice(0, 10), item.id, cv));
    await concludePanel(deps(), chair, firstPanel, { version: await version(firstPanel) });

    const second = await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    const nextPanel = second.panelId!;
    expect(nextPanel).not.toBe(firstPanel);
    clock.set(new Date(new Date(await startsAt(nextPanel)).getTime() - 60_000));
    await startMeeting(deps(), chair, nextPanel, { version: await version(nextPanel) });

    const c = new HttpClient(server.url);
    await c.signIn(p.chair.email, TEST_PASSWORD);
    const meeting = `/panels/${nextPanel}/meeting`;
    const approve = async (amendments: string) =>
      c.post(meeting, {
        csrf: await c.csrfFrom(meeting),
        intent: "approve_minutes",
        version: String(await version(nextPanel)),
        minutesPanelId: String(firstPanel),
        amendments,
      });
    // Drafted but not published: shown, not yet approvable.
    const draft = await (await c.get(meeting)).text();
    expect(draft).toContain("First: the minutes of the last panel");
    expect(draft).toContain("not published yet, so they cannot be approved today");
    expect((await approve("")).status).toBe(422);

    await publishMinutes(deps(), chair, firstPanel, { version: await version(firstPanel) });
    // Nobody's attendance recorded: the core members present approve, so say who they are first.
    const nobody = await approve("");
    expect(nobody.status).toBe(422);
    expect(await nobody.text()).toContain("Record which core members are present");
    const attendees = await t.db.selectFrom("panel_attendees").select(["id", "role"]).where("panel_id", "=", nextPanel).execute();
    await recordAttendance(
      deps(),
      chair,
      nextPanel,
      await version(nextPanel),
      parsed(
        validate(
          attendanceSchema,
          Object.fromEntries(attendees.map((a) => [`attendance-${a.id}`, a.role === "chair" ? "in_person" : "apologies"])),
        ),
      ),
    );
    const approved = await approve("Item 1: the risk holder's role is team manager, not social worker");
    expect(approved.status).toBe(302);

    const minutes = (await (await c.get(`/panels/${firstPanel}/minutes`)).text()).replace(/<!-- -->/g, "");
    expect(minutes).toMatch(/Approved at the panel on \d+ \w+ 2026 by the core members present: Chris Chair, /);
    expect(minutes).toContain("Amendments agreed: Item 1: the risk holder&#x27;s role is team manager, not social worker");
    expect(await (await c.get(meeting)).text()).not.toContain("First: the minutes of the last panel");
    // Approved once: a second approval is refused and changes nothing.
    expect((await approve("Something else")).status).toBe(422);
    const stored = await t.db.selectFrom("panels").select("minutes_approval").where("id", "=", firstPanel).executeTakeFirstOrThrow();
    expect(stored.minutes_approval).toMatchObject({
      atPanelId: nextPanel,
      amendments: "Item 1: the risk holder's role is team manager, not social worker",
    });
    expect(await t.db.selectFrom("audit_events").select("action").where("action", "=", "panel.minutes_approved").execute()).toHaveLength(1);
  });
});
