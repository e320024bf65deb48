import { describe, expect, it } from "vitest";
import { agendaItemSchema } from "../../app/forms/panel";
import { fixedClock } from "../../app/lib/clock";
import { validate } from "../../app/lib/validation";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { seedDemoSchedules } from "../../app/seed/demo-panels";
import { editAgendaItem, sendAgenda } from "../../app/services/agenda.server";
import { concludePanel, decideItem, startMeeting } from "../../app/services/meeting.server";
import { runPanelHousekeeping } from "../../app/services/panel-lifecycle.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor } from "../support/factories";
import { HttpClient } from "../support/http-client";
import { decisionForm, parsed } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

/**
 * Declarations of interest: anyone invited declares an interest in an item
 * they may see, before or at the meeting; the chair sees it beside the item,
 * the declarant cannot record its decision, and the minutes say they took no part.
 */
describe.each(backends)("declarations of interest (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });
  const deps = () => ({ db: t.db, clock });

  it("lets the invited declare on their own items only, keeps the declarant out of the decision and records it in the minutes", async () => {
    await seedDemoUsers(t.db);
    await seedDemoSchedules(t.db, clock.now());
    await runPanelHousekeeping(deps());
    const area = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const alfie = await submitCompleteRequest(deps(), referrer, "step_up", area.id, {
      child: { firstName: "Alfie", lastName: "Aardvark", dobDay: "27", dobMonth: "3", dobYear: "2015" },
    });
    const bella = await submitCompleteRequest(deps(), referrer, "step_up", area.id, {
      child: { firstName: "Bella", lastName: "Badger", dobDay: "1", dobMonth: "6", dobYear: "2016" },
    });
    const panelId = alfie.panelId!;
    expect(bella.panelId).toBe(panelId);
    const chairUser = await loadDemoUser(t.db, "chair.crewe@example.org");
    const hana = await loadDemoUser(t.db, "partner.health@example.org");
    const items = await t.db.selectFrom("agenda_items").select(["id", "request_id", "case_id"]).where("panel_id", "=", panelId).execute();
    const itemOf = (r: { requestId: number }) => items.find((i) => i.request_id === r.requestId)!;
    const panelVersion = async () =>
      (await t.db.selectFrom("panels").select("version").where("id", "=", panelId).executeTakeFirstOrThrow()).version;
    // Health is invited for Alfie's item only.
    for (const [request, userIds] of [
      [alfie, [String(hana.id)]],
      [bella, []],
    ] as const) {
      await editAgendaItem(
        deps(),
        actorFor(chairUser),
        panelId,
        itemOf(request).id,
        parsed(
          validate(agendaItemSchema, { version: String(await panelVersion()), slotMinutes: "15", userIds: [...userIds], agencyIds: [] }),
        ),
      );
    }

    // Once the agenda is sent, the invited can see their items.
    await sendAgenda(deps(), actorFor(chairUser), panelId, { version: await panelVersion() });
    const page = `/panels/${panelId}/declare`;
    const partner = new HttpClient(server.url);
    await partner.signIn("partner.health@example.org", DEMO_PASSWORD);
    const choices = await (await partner.get(page)).text();
    expect(choices).toContain(alfie.reference);
    expect(choices).toContain("Alfie Aardvark");
    expect(choices).not.toContain(bella.reference);
    // An item she was not invited to cannot be named by editing the form; a missing reason is asked for, the choice kept.
    const other = await partner.post(page, { csrf: await partner.csrfFrom(page), itemId: String(itemOf(bella).id), reason: "A neighbour" });
    expect(other.status).toBe(422);
    expect(await other.text()).toContain("Select the item you have an interest in");
    const noReason = await partner.post(page, { csrf: await partner.csrfFrom(page), itemId: String(itemOf(alfie).id), reason: "" });
    expect(noReason.status).toBe(422);
    const noReasonPage = await noReason.text();
    expect(noReasonPage).toContain("Enter your interest in the item");
    const radio = noReasonPage.match(
      new RegExp(
        `<input[^>]*name="itemId"[^>]*value="${itemOf(alfie).id}"[^>]*>|<input[^>]*value="${itemOf(alfie).id}"[^>]*name="itemId"[^>]*>`,
      ),
    );
    expect(radio?.[0]).toContain("checked");
    const declared = await partner.post(page, {
      csrf: await partner.csrfFrom(page),
      itemId: String(itemOf(alfie).id),
      reason: "The child's mother is my neighbour",
    });
    expect(declared.status).toBe(302);
    expect(declared.headers.get("location")).toBe(`/panels/${panelId}?done=declared`);

    // Erin, a manager for the area, declares on Bella's item.
    const erinUser = await loadDemoUser(t.db, "earlyhelp.manager@example.org");
    const erin = new HttpClient(server.url);
    await erin.signIn("earlyhelp.manager@example.org", DEMO_PASSWORD);
    expect(
      (
        await erin.post(page, {
          csrf: await erin.csrfFrom(page),
          itemId: String(itemOf(bella).id),
          reason: "I supervised the family's worker",
        })
      ).status,
    ).toBe(302);

    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const agenda = await (await chair.get(`/panels/${panelId}`)).text();
    expect(agenda).toContain("Interest declared: Hana Health, Community Health Services: The child&#x27;s mother is my neighbour");
    expect(agenda).toContain("Interest declared: Erin Early, Early Help: I supervised the family&#x27;s worker");
    // Hana sees her own declaration, not Erin's on an item she cannot see.
    const hanaAgenda = await (await partner.get(`/panels/${panelId}`)).text();
    expect(hanaAgenda).toContain("Interest declared: Hana Health");
    expect(hanaAgenda).not.toContain("Erin Early, Early Help: I supervised");

    await startMeeting(deps(), actorFor(chairUser), panelId, { version: await panelVersion(), earlyReason: "Held early" });
    const caseVersion = async (r: { requestId: number }) =>
      (await t.db.selectFrom("cases").select("version").where("id", "=", itemOf(r).case_id).executeTakeFirstOrThrow()).version;
    await expect(
      decideItem(deps(), actorFor(erinUser), panelId, decisionForm("2026-11-23", itemOf(bella).id, await caseVersion(bella))),
    ).rejects.toMatchObject({
      fieldErrors: { form: expect.stringContaining("You declared an interest in this item") },
    });
    expect(await t.db.selectFrom("decisions").select("id").execute()).toHaveLength(0);
    for (const r of [alfie, bella])
      await decideItem(deps(), actorFor(chairUser), panelId, decisionForm("2026-11-23", itemOf(r).id, await caseVersion(r)));
    await concludePanel(deps(), actorFor(chairUser), panelId, { version: await panelVersion() });

    const minutes = await (await chair.get(`/panels/${panelId}/minutes`)).text();
    expect(minutes).toContain(
      "Hana Health, Community Health Services, declared an interest (The child&#x27;s mother is my neighbour) and took no part in the decision.",
    );
    expect(minutes).toContain(
      "Erin Early, Early Help, declared an interest (I supervised the family&#x27;s worker) and took no part in the decision.",
    );
    // Once the meeting is over nothing more is declared.
    expect((await partner.get(page)).status).toBe(403);
    const audited = await t.db.selectFrom("audit_events").select("action").where("action", "=", "panel.interest_declared").execute();
    expect(audited).toHaveLength(2);
  });
});
