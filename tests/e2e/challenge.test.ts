import { beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { validate } from "../../app/lib/validation";
import { scheduleSchema } from "../../app/forms/panel";
import { saveSchedule } from "../../app/services/panel-schedules.server";
import { decideItem, startMeeting } from "../../app/services/meeting.server";
import { editAgendaItem } from "../../app/services/agenda.server";
import { agendaItemSchema } from "../../app/forms/panel";
import { loadDemoUser as loadUser } from "../../app/seed/demo";
import { browserAvailable, expectAccessible } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";
import { decisionForm, parsed, scheduleForm } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";

describe.skipIf(!browserAvailable)("challenging a panel decision in a real browser", () => {
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const suite = useBrowserSuite({ clock });
  let reference = "";

  beforeAll(async () => {
    // A Crewe panel on 9 December decides a step-up, with the health partner invited for the item.
    const db = suite.db;
    const deps = { db, clock };
    const admin = await loadUser(db, "admin@example.org");
    const chair = await loadUser(db, "chair.crewe@example.org");
    const hana = await loadUser(db, "partner.health@example.org");
    const referrer = await loadUser(db, "referrer@example.org");
    const crewe = await db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    await saveSchedule(
      deps,
      { user: admin, ip: null },
      crewe.id,
      parsed(validate(scheduleSchema("2026-11-23"), scheduleForm({ chairUserId: String(chair.id) }))),
    );
    const submitted = await submitCompleteRequest(deps, referrer, "step_up", crewe.id);
    reference = submitted.reference;
    const panel = (await db.selectFrom("panels").selectAll().where("area_id", "=", crewe.id).orderBy("starts_at").execute())[1];
    const item = await db.selectFrom("agenda_items").selectAll().where("panel_id", "=", panel.id).executeTakeFirstOrThrow();
    const version = async () =>
      (await db.selectFrom("panels").select("version").where("id", "=", panel.id).executeTakeFirstOrThrow()).version;
    await editAgendaItem(
      deps,
      { user: chair, ip: null },
      panel.id,
      item.id,
      parsed(validate(agendaItemSchema, { version: String(await version()), slotMinutes: "15", userIds: [String(hana.id)] })),
    );
    clock.set("2026-12-09T10:00:00Z");
    await startMeeting(deps, { user: chair, ip: null }, panel.id, { version: await version() });
    const cv = (await db.selectFrom("cases").select("version").where("id", "=", item.case_id).executeTakeFirstOrThrow()).version;
    await decideItem(deps, { user: chair, ip: null }, panel.id, decisionForm("2026-12-09", item.id, cv));
    clock.set("2026-12-10T14:00:00Z");
  });

  const as = suite.as;

  it("a partner raises a challenge, the risk holder stays visible, and the chair escalates it with a reason", async () => {
    const hana = await as("partner.health@example.org");
    await hana.goto(`${suite.url}/cases/${reference}`);
    await hana.getByRole("link", { name: /Challenge this decision/ }).click();
    await hana.getByRole("heading", { name: "Challenge a decision" }).waitFor();
    await expectAccessible(hana);
    await hana.getByLabel("Who disagrees, and with what?").fill("Community health disagrees that social care is needed");
    await hana.getByLabel("Threshold: the level of need or risk").check();
    await hana.getByLabel("Why do you disagree?").fill("Attendance and health appointments have improved under early help");
    await hana.getByLabel("Who holds the risk while this is resolved?").fill("");
    await hana.getByRole("button", { name: "Raise the challenge" }).click();
    await hana.getByRole("link", { name: "Enter who holds the risk while this is resolved" }).waitFor();
    await expect(hana.getByLabel("Why do you disagree?").inputValue()).resolves.toBe(
      "Attendance and health appointments have improved under early help",
    );
    await hana.getByLabel("Who holds the risk while this is resolved?").fill("Chris Crewe, team manager");
    await hana.getByRole("button", { name: "Raise the challenge" }).click();
    await hana.getByText("Challenge raised.").waitFor();
    await hana.getByText("Stage 1: practitioner to practitioner").first().waitFor();
    await hana.getByText("Response due by 14 December 2026 at 2:00pm").waitFor();
    await expectAccessible(hana);

    const chair = await as("chair.crewe@example.org");
    await chair.getByRole("link", { name: "Challenges", exact: true }).first().click();
    await chair.getByRole("link", { name: reference }).click();
    await chair.getByText("Risk held by").waitFor();
    await chair.getByText("Escalate to the next stage").click();
    await chair.getByRole("button", { name: "Escalate" }).click();
    await chair.getByRole("link", { name: "Enter the reason" }).waitFor();
    await chair.getByLabel("Why does it need the next stage?").fill("We could not agree at practitioner level");
    await chair.getByRole("button", { name: "Escalate" }).click();
    await chair.getByText("Challenge escalated.").waitFor();
    await chair.getByText("Stage 2: team managers").first().waitFor();

    await chair.goto(`${suite.url}/cases/${reference}`);
    await chair.getByText("A professional challenge is open on this case.").waitFor();
    await chair.getByText("Chris Crewe, team manager").first().waitFor();
    await expectAccessible(chair);

    await chair.goto(`${suite.url}/challenges/register`);
    await chair.getByRole("heading", { name: "Challenge register" }).waitFor();
    await expectAccessible(chair);
    const csv = await chair.request.get(`${suite.url}/challenges/register.csv?status=open`);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toContain(reference);
  });
});
