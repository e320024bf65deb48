import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { seedDemoSchedules } from "../../app/seed/demo-panels";
import { concludePanel, decideItem, startMeeting } from "../../app/services/meeting.server";
import { runPanelHousekeeping } from "../../app/services/panel-lifecycle.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor } from "../support/factories";
import { HttpClient } from "../support/http-client";
import { decisionForm } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

/**
 * Quorum per area: the administrator sets which agencies a panel needs and
 * how many others besides; the chairing page says whether the panel is
 * quorate, going ahead without quorum takes a reason, and the minutes record both.
 */
describe.each(backends)("a panel's quorum (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });
  const deps = () => ({ db: t.db, clock });

  it("is set per area by the administrator, shown to the chair, and recorded in the minutes with the reason for going ahead", async () => {
    await seedDemoUsers(t.db);
    await seedDemoSchedules(t.db, clock.now());
    await runPanelHousekeeping(deps());
    const area = await t.db
      .selectFrom("areas")
      .select(["id", "quorum_kinds", "quorum_others"])
      .where("name", "=", "Crewe")
      .executeTakeFirstOrThrow();
    expect({ kinds: area.quorum_kinds, others: area.quorum_others }).toEqual({ kinds: ["childrens_social_care", "early_help"], others: 2 });

    const admin = new HttpClient(server.url);
    await admin.signIn("admin@example.org", DEMO_PASSWORD);
    const edit = `/admin/areas/${area.id}`;
    const form = await (await admin.get(edit)).text();
    expect(form).toContain("Which agencies must be present?");
    const bad = await admin.post(edit, {
      csrf: await admin.csrfFrom(edit),
      name: "Crewe",
      "quorumKinds[]": "childrens_social_care",
      quorumOthers: "",
      leadWithinDays: "1",
      transferWithinDays: "5",
    });
    expect(bad.status).toBe(422);
    const badPage = await bad.text();
    expect(badPage).toContain("Enter how many other agencies a panel needs, as a number from 0 to 10");
    expect(badPage).toMatch(/value="childrens_social_care"[^>]*checked|checked[^>]*value="childrens_social_care"/);
    const saved = await admin.post(edit, {
      csrf: await admin.csrfFrom(edit),
      name: "Crewe",
      "quorumKinds[]": "childrens_social_care",
      quorumOthers: "1",
      leadWithinDays: "1",
      transferWithinDays: "5",
    });
    expect(saved.status).toBe(302);
    const after = await t.db
      .selectFrom("areas")
      .select(["quorum_kinds", "quorum_others"])
      .where("id", "=", area.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ quorum_kinds: ["childrens_social_care"], quorum_others: 1 });

    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const submitted = await submitCompleteRequest(deps(), referrer, "step_up", area.id);
    const panelId = submitted.panelId!;
    const chairUser = await loadDemoUser(t.db, "chair.crewe@example.org");
    const version = async () =>
      (await t.db.selectFrom("panels").select("version").where("id", "=", panelId).executeTakeFirstOrThrow()).version;
    await startMeeting(deps(), actorFor(chairUser), panelId, { version: await version(), earlyReason: "Held early" });

    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const meeting = `/panels/${panelId}/meeting`;
    const page = (await (await chair.get(meeting)).text()).replace(/<!-- -->/g, "");
    expect(page).toContain("Not quorate: this panel needs children&#x27;s social care, plus 1 other agency; 0 other agencies are present.");
    expect(page).toContain("Not represented: children&#x27;s social care.");
    const noReason = await chair.post(meeting, {
      csrf: await chair.csrfFrom(meeting),
      intent: "go_ahead",
      version: String(await version()),
      kind: "others",
      reason: "",
    });
    expect(noReason.status).toBe(422);
    expect(
      await chair
        .post(meeting, {
          csrf: await chair.csrfFrom(meeting),
          intent: "go_ahead",
          version: String(await version()),
          kind: "others",
          reason: "Police and health sent written views",
        })
        .then((r) => r.status),
    ).toBe(302);
    const going = (await (await chair.get(meeting)).text()).replace(/<!-- -->/g, "");
    expect(going).not.toContain("Not quorate");
    expect(going).toContain("Going ahead without enough other agencies: Police and health sent written views");

    const item = await t.db
      .selectFrom("agenda_items")
      .select(["id", "case_id"])
      .where("request_id", "=", submitted.requestId)
      .executeTakeFirstOrThrow();
    const caseVersion = (await t.db.selectFrom("cases").select("version").where("id", "=", item.case_id).executeTakeFirstOrThrow()).version;
    await decideItem(deps(), actorFor(chairUser), panelId, decisionForm("2026-11-23", item.id, caseVersion));
    await concludePanel(deps(), actorFor(chairUser), panelId, { version: await version() });
    const minutes = await (await chair.get(`/panels/${panelId}/minutes`)).text();
    expect(minutes).toContain("Not quorate: the panel went ahead for the reasons below");
    expect(minutes).toContain("Without enough other agencies");
    expect(minutes).toContain("Police and health sent written views");
  });
});
