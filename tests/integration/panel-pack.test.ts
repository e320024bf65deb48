import { describe, expect, it } from "vitest";
import { agendaItemSchema } from "../../app/forms/panel";
import { fixedClock } from "../../app/lib/clock";
import { validate } from "../../app/lib/validation";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { seedDemoSchedules } from "../../app/seed/demo-panels";
import { editAgendaItem, sendAgenda } from "../../app/services/agenda.server";
import { startMeeting } from "../../app/services/meeting.server";
import { runPanelHousekeeping } from "../../app/services/panel-lifecycle.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor } from "../support/factories";
import { HttpClient } from "../support/http-client";
import { parsed } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

/**
 * The panel pack: once the agenda is sent, everyone invited is emailed a link
 * (no child in it) to a pack of what they may see; a partner adds what her
 * agency knows to her item; each marks it read and the chair sees who has.
 */
describe.each(backends)("the panel pack (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });
  const deps = () => ({ db: t.db, clock });

  async function panelWithTwoItems() {
    await seedDemoUsers(t.db);
    await seedDemoSchedules(t.db, clock.now());
    await runPanelHousekeeping(deps());
    const area = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const alfie = await submitCompleteRequest(deps(), referrer, "step_up", area.id, {
      child: { firstName: "Alfie", lastName: "Aardvark", dobDay: "27", dobMonth: "3", dobYear: "2015" },
      details: { concerns: "Missed three health appointments since September." },
    });
    const bella = await submitCompleteRequest(deps(), referrer, "step_up", area.id, {
      child: { firstName: "Bella", lastName: "Badger", dobDay: "1", dobMonth: "6", dobYear: "2016" },
      details: { concerns: "Bella's brother says there is no food at home." },
    });
    const panelId = alfie.panelId!;
    expect(bella.panelId).toBe(panelId);
    const chair = await loadDemoUser(t.db, "chair.crewe@example.org");
    const hana = await loadDemoUser(t.db, "partner.health@example.org");
    const items = await t.db.selectFrom("agenda_items").select(["id", "request_id"]).where("panel_id", "=", panelId).execute();
    const itemOf = (r: { requestId: number }) => items.find((i) => i.request_id === r.requestId)!.id;
    const version = async () =>
      (await t.db.selectFrom("panels").select("version").where("id", "=", panelId).executeTakeFirstOrThrow()).version;
    // Health is invited for Alfie's item only.
    for (const [request, userIds] of [
      [alfie, [String(hana.id)]],
      [bella, []],
    ] as const) {
      await editAgendaItem(
        deps(),
        actorFor(chair),
        panelId,
        itemOf(request),
        parsed(validate(agendaItemSchema, { version: String(await version()), slotMinutes: "15", userIds: [...userIds], agencyIds: [] })),
      );
    }
    return { panelId, alfie, bella, chair, hana, itemOf, version };
  }

  const signIn = async (email: string) => {
    const c = new HttpClient(server.url);
    await c.signIn(email, DEMO_PASSWORD);
    return c;
  };

  it("goes to everyone invited once the agenda is sent, by link only; a partner's pack holds her item and what she adds to it", async () => {
    const { panelId, alfie, bella, chair, itemOf, version } = await panelWithTwoItems();
    const page = `/panels/${panelId}/pack`;

    // Before the agenda is sent, nobody is told and a core member's pack says it is not ready; the chair sees a preview.
    const core = await signIn("volunteer@example.org");
    const early = await (await core.get(page)).text();
    expect(early).toContain("The pack is ready when the chair sends the agenda");
    expect(early).not.toContain(alfie.reference);
    const chairClient = await signIn("chair.crewe@example.org");
    expect(await (await chairClient.get(page)).text()).toContain("Nobody else can read the pack yet");
    const packMail = () =>
      t.db.selectFrom("outbox").select(["recipient", "subject", "text_body", "html_body"]).where("kind", "=", "pack_ready").execute();
    expect(await packMail()).toEqual([]);

    await sendAgenda(deps(), actorFor(chair), panelId, { version: await version() });
    const mails = await packMail();
    const recipients = mails.map((m) => m.recipient).sort();
    // Core members, the chair and the partner invited for an item: each once, each alone.
    expect(recipients).toContain("partner.health@example.org");
    expect(recipients).toContain("chair.crewe@example.org");
    expect(recipients).toContain("earlyhelp.manager@example.org");
    expect(recipients).toContain("volunteer@example.org");
    expect(new Set(recipients).size).toBe(recipients.length);
    for (const mail of mails) {
      const all = `${mail.subject}\n${mail.text_body}\n${mail.html_body}`;
      expect(all).toContain(`/panels/${panelId}/pack`);
      for (const secret of ["Alfie", "Aardvark", "Bella", "Badger", "2015", "appointments"]) expect(all).not.toContain(secret);
    }
    // Sending again, or a change to the agenda, tells nobody twice.
    await editAgendaItem(
      deps(),
      actorFor(chair),
      panelId,
      itemOf(bella),
      parsed(validate(agendaItemSchema, { version: String(await version()), slotMinutes: "20", userIds: [], agencyIds: [] })),
    );
    expect(await packMail()).toHaveLength(mails.length);

    // The core member reads the whole pack: both items with what the requests say, marked OFFICIAL-SENSITIVE.
    const whole = await (await core.get(page)).text();
    expect(whole).toContain("OFFICIAL-SENSITIVE");
    expect(whole).toContain(alfie.reference);
    expect(whole).toContain(bella.reference);
    expect(whole).toContain("Missed three health appointments since September.");
    expect(whole).toContain("no food at home");

    // The partner's pack holds Alfie's item only.
    const partner = await signIn("partner.health@example.org");
    const hers = await (await partner.get(page)).text();
    expect(hers).toContain(alfie.reference);
    expect(hers).toContain("Missed three health appointments since September.");
    expect(hers).not.toContain(bella.reference);
    expect(hers).not.toContain("no food at home");

    // She adds what health knows to Alfie's item; Bella's item cannot be named by editing the form; an empty return is asked for.
    const post = async (body: Record<string, string>) => partner.post(page, { csrf: await partner.csrfFrom(page), ...body });
    const other = await post({ intent: "information_return", itemId: String(itemOf(bella)), body: "A neighbour's view" });
    expect(other.status).toBe(422);
    expect(await other.text()).toContain("Choose an item still to be discussed");
    const empty = await post({ intent: "information_return", itemId: String(itemOf(alfie)), body: "" });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Enter what your agency knows about the child and family");
    const added = await post({
      intent: "information_return",
      itemId: String(itemOf(alfie)),
      body: "Health visitor last saw Alfie on 2 October; weight below the 2nd centile.",
    });
    expect(added.status).toBe(302);
    expect(await t.db.selectFrom("information_returns").select("body").execute()).toHaveLength(1);
    // Written again, it replaces her first return.
    await post({
      intent: "information_return",
      itemId: String(itemOf(alfie)),
      body: "Health visitor saw Alfie on 2 October and 16 November.",
    });
    const returns = await t.db.selectFrom("information_returns").select(["body", "agenda_item_id"]).execute();
    expect(returns).toEqual([{ body: "Health visitor saw Alfie on 2 October and 16 November.", agenda_item_id: itemOf(alfie) }]);
    // The core member and the chair read it in the pack; the partner's item holds it too.
    expect(await (await core.get(page)).text()).toContain("Health visitor saw Alfie on 2 October and 16 November.");

    // Somebody not invited cannot open the pack at all.
    const outsider = await signIn("chair.macclesfield@example.org");
    expect((await outsider.get(page)).status).toBe(404);

    // Every read and write is audited, with the cases shown.
    const audited = await t.db
      .selectFrom("audit_events")
      .select(["action", "detail"])
      .where("action", "in", ["panel.pack_viewed", "panel.information_returned"])
      .execute();
    expect(audited.some((a) => a.action === "panel.information_returned" && (a.detail.cases as string[]).includes(alfie.reference))).toBe(
      true,
    );
    expect(audited.filter((a) => a.action === "panel.pack_viewed").length).toBeGreaterThan(3);
  });

  it("shows the chair who has read it, on the pack and at the start of the meeting", async () => {
    const { panelId, chair, version } = await panelWithTwoItems();
    await sendAgenda(deps(), actorFor(chair), panelId, { version: await version() });
    const page = `/panels/${panelId}/pack`;
    const partner = await signIn("partner.health@example.org");
    const marked = await partner.post(page, { csrf: await partner.csrfFrom(page), intent: "read" });
    expect(marked.status).toBe(302);
    expect(await (await partner.get(page)).text()).toContain("You marked the pack read on");
    // Marking it again keeps the first time.
    expect((await t.db.selectFrom("pack_reads").select("read_at").execute()).map((r) => new Date(r.read_at).toISOString())).toEqual([
      clock.now().toISOString(),
    ]);

    const chairClient = await signIn("chair.crewe@example.org");
    const pack = await (await chairClient.get(page)).text();
    expect(pack).toContain("Who has read the pack");
    expect(pack).toMatch(/Hana[^<]*\(Community Health Services\)/);
    const panelPage = await (await chairClient.get(`/panels/${panelId}`)).text();
    expect(panelPage).toMatch(/The pack has been read by 1 of the \d+ people invited; not yet by /);
    expect(panelPage).toContain(`/panels/${panelId}/pack`);

    const panel = await t.db.selectFrom("panels").select(["starts_at", "version"]).where("id", "=", panelId).executeTakeFirstOrThrow();
    clock.set(new Date(new Date(panel.starts_at).getTime() - 60_000));
    await startMeeting(deps(), actorFor(chair), panelId, { version: panel.version });
    const meeting = await (await (await signIn("chair.crewe@example.org")).get(`/panels/${panelId}/meeting`)).text();
    expect(meeting).toMatch(/The pack has been read by 1 of the \d+ people invited/);
    // The partner sees nobody else's reading.
    expect(await (await (await signIn("partner.health@example.org")).get(page)).text()).not.toContain("Who has read the pack");
  });
});
