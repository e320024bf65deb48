import { CATEGORY_LABELS } from "../../app/lib/labels";
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { validate } from "../../app/lib/validation";
import { agendaItemSchema } from "../../app/forms/panel";
import { editAgendaItem } from "../../app/services/agenda.server";
import { decideItem } from "../../app/services/meeting.server";
import { loadDemoUser } from "../../app/seed/demo";
import { browserAvailable, expectAccessible } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";
import { backends } from "../support/database";
import { decisionForm, parsed } from "../support/panels";

/**
 * The whole meeting on the demo data, in a real browser: the request beside
 * the item, a latecomer, a decision recorded and corrected, the step down
 * handed over, minutes for a one-item partner, her challenge and its escalation.
 */
describe.skipIf(!browserAvailable).each(backends)("a whole panel meeting in the browser (%s)", (backend) => {
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const suite = useBrowserSuite({ clock, demo: true, backend });

  it("runs the meeting, hands over the step down, and lets the one-item partner challenge from her minutes", async () => {
    const db = suite.db;
    const chairUser = await loadDemoUser(db, "chair.crewe@example.org");
    const hanaUser = await loadDemoUser(db, "partner.health@example.org");
    // The next Crewe panel with both a step up and a step down on it.
    const panels = await db
      .selectFrom("panels")
      .select(["id", "starts_at", "meeting_date"])
      .where("area_id", "=", chairUser.areaId!)
      .where("status", "in", ["scheduled", "agenda_open", "agenda_closed"])
      .orderBy("starts_at")
      .execute();
    let panel: (typeof panels)[number] | undefined;
    let items: Array<{ id: number; kind: string; reference: string; case_id: number }> = [];
    for (const candidate of panels) {
      items = await db
        .selectFrom("agenda_items")
        .innerJoin("requests", "requests.id", "agenda_items.request_id")
        .innerJoin("cases", "cases.id", "agenda_items.case_id")
        .select(["agenda_items.id", "requests.kind", "cases.reference", "agenda_items.case_id"])
        .where("agenda_items.panel_id", "=", candidate.id)
        .where("agenda_items.status", "=", "listed")
        .orderBy("agenda_items.position")
        .execute();
      if (items.some((i) => i.kind === "step_up") && items.some((i) => i.kind === "step_down")) {
        panel = candidate;
        break;
      }
    }
    expect(panel, "a demo panel with a step up and a step down").toBeDefined();
    const up = items.find((i) => i.kind === "step_up")!;
    const down = items.find((i) => i.kind === "step_down")!;
    const version = async () =>
      (await db.selectFrom("panels").select("version").where("id", "=", panel!.id).executeTakeFirstOrThrow()).version;
    // The chair invites the health partner for one step up only; the demo's other invitations of her (by name or agency) are taken off.
    for (const item of items) {
      await editAgendaItem(
        { db, clock },
        { user: chairUser, ip: null },
        panel!.id,
        item.id,
        parsed(
          validate(agendaItemSchema, {
            version: String(await version()),
            slotMinutes: "15",
            userIds: item.id === up.id ? [String(hanaUser.id)] : [],
          }),
        ),
      );
    }

    clock.set(new Date(new Date(panel!.starts_at).getTime() - 120_000));
    const chair = await suite.as("chair.crewe@example.org");
    await chair.goto(`${suite.url}/panels/${panel!.id}`);
    await chair.getByRole("button", { name: "Close the agenda and start the meeting" }).click();
    await chair.getByRole("heading", { name: /Chairing:/ }).waitFor();

    // Attendance: the chair is there, and a family support worker from early help turns up without an account.
    await chair.getByRole("group", { name: "Chris Crewe, Children's Social Care (chair)" }).getByLabel("Present in person").check();
    await chair.getByRole("button", { name: "Save attendance" }).click();
    await chair.getByText("Attendance saved.").waitFor();
    await chair.getByText("Not represented: early help").waitFor();
    await chair.getByText("Attendance", { exact: true }).click();
    await chair.getByText("Add someone who has joined").click();
    await chair.getByLabel("Who has joined").selectOption({ label: "Someone without an account: enter their details below" });
    await chair.getByRole("button", { name: "Add to the attendance" }).click();
    await chair.getByRole("link", { name: "Enter the name of the person who has joined" }).waitFor();
    // The page keeps what was chosen; the chair completes the guest's details and sends them.
    expect(await chair.getByLabel("Who has joined").inputValue()).toBe("guest");
    const name = chair.getByLabel("Their full name (only for someone without an account)");
    await name.fill("Gail Guest");
    await chair.getByLabel("Their role").fill("family support worker");
    await chair.getByLabel("Their agency").selectOption({ label: "Early Help" });
    await expect.poll(() => name.inputValue()).toBe("Gail Guest");
    await chair.getByRole("button", { name: "Add to the attendance" }).click();
    const added = chair.getByText("Added to the attendance as present.");
    await added.waitFor({ timeout: 15_000 }).catch(async () => {
      // Name what the page said instead, so a failure here explains itself.
      const summary = await chair
        .locator(".govuk-error-summary")
        .innerText()
        .catch(() => "no error summary");
      throw new Error(`The guest was not added. The page said: ${summary}`);
    });
    expect(await chair.getByText("Not represented").count()).toBe(0);
    await expectAccessible(chair);

    // The step up: the request is beside the item; a wrong decision is recorded, then corrected.
    await chair.goto(`${suite.url}/panels/${panel!.id}/meeting?item=${up.id}`);
    await chair.getByText("What the requester wrote").waitFor();
    await chair.getByText("What are the concerns?").waitFor();
    await chair.getByLabel("Not agreed: stays where it is").check();
    await chair.getByLabel("Reasons").fill("Early help plan is working");
    await chair.getByLabel("Who holds the risk").selectOption({ label: "Chris Crewe, Children's Social Care" });
    await chair.getByRole("button", { name: "Record the decision" }).click();
    await chair.getByText("Decision recorded.").waitFor();
    await chair.getByRole("link", { name: /Correct this decision/ }).click();
    await chair.getByRole("heading", { name: "Correct the decision" }).waitFor();
    await expectAccessible(chair);
    await chair.getByLabel("Step up agreed").check();
    await chair.getByRole("button", { name: "Record the correction" }).click();
    await chair.getByRole("link", { name: "Enter why the decision is being corrected" }).waitFor();
    await chair.getByLabel("Why is the decision being corrected?").fill("The wrong outcome was selected in the meeting");
    await chair.getByLabel("Reasons").fill("Threshold for a social work assessment is met");
    await chair.getByRole("button", { name: "Record the correction" }).click();
    await chair.getByText("Decision corrected.").waitFor();
    await chair.getByText("Children's social care").first().waitFor();

    // The step down: handed to early help, the transfer on a working day.
    await chair.goto(`${suite.url}/panels/${panel!.id}/meeting?item=${down.id}`);
    await chair.getByLabel("Step down agreed to early help").check();
    await chair.getByLabel("Reasons").fill("Plan outcomes met; early help can hold the plan");
    await chair.getByLabel("Who holds the risk").selectOption({ label: "Erin Early, Early Help" });
    const transfer = new Date(new Date(panel!.starts_at).getTime() + 7 * 24 * 3600_000); // a week on: the same weekday
    await chair.getByLabel("Lead practitioner (required for a step down)").selectOption({ label: "Erin Early, Early Help" });
    await chair.locator("#transferDay").fill(String(transfer.getUTCDate()));
    await chair.locator("#transferMonth").fill(String(transfer.getUTCMonth() + 1));
    await chair.locator("#transferYear").fill(String(transfer.getUTCFullYear()));
    await chair.getByRole("button", { name: "Record the decision" }).click();
    await chair.getByText("Decision recorded.").waitFor();

    // The rest of the agenda is decided as the chair goes; then the panel concludes and publishes.
    for (const other of items.filter((i) => i.id !== up.id && i.id !== down.id)) {
      const cv = (await db.selectFrom("cases").select("version").where("id", "=", other.case_id).executeTakeFirstOrThrow()).version;
      const today = panel!.meeting_date;
      await decideItem(
        { db, clock },
        { user: chairUser, ip: null },
        panel!.id,
        decisionForm(today, other.id, cv, other.kind === "step_up" ? {} : { outcome: "not_agreed" }),
      );
    }
    await chair.goto(`${suite.url}/panels/${panel!.id}/meeting`);
    await chair.getByRole("button", { name: "Conclude the panel and draft the minutes" }).click();
    await chair.getByText("Draft minutes: review, then publish").waitFor();
    await chair.getByText("Gail Guest, family support worker").waitFor();
    await chair
      .getByText(/Corrected/)
      .first()
      .waitFor();
    await chair.getByRole("button", { name: "Publish the minutes" }).click();
    await chair.getByText("The minutes are published").waitFor();
    // On paper: A4 width (180 mm of text at 96 dpi), no navigation, nothing wider than the page.
    await chair.emulateMedia({ media: "print" });
    await chair.setViewportSize({ width: 680, height: 960 });
    expect(await chair.locator(".govuk-service-navigation").isVisible()).toBe(false);
    expect(await chair.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    const png = await chair.screenshot({ fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    await chair.context().close();

    // The receiving early help manager has the transfer meeting in her actions, and an email.
    const erin = await suite.as("earlyhelp.manager@example.org");
    await erin.getByRole("link", { name: "My actions" }).first().click();
    await erin.getByText(new RegExp(`Hold the transfer meeting or joint visit for case ${down.reference}`)).waitFor();
    await erin.context().close();
    const transferMail = await db.selectFrom("outbox").select(["recipient"]).where("kind", "=", "transfer_notice").execute();
    expect(transferMail.map((m) => m.recipient)).toContain("earlyhelp.manager@example.org");

    // The health partner, invited for the step up only, sees only that item's minutes and challenges from there.
    const hana = await suite.as("partner.health@example.org");
    await hana.goto(`${suite.url}/panels/${panel!.id}/minutes`);
    await hana.getByText("These are the minutes for the item you were invited to discuss").waitFor();
    expect(await hana.locator(".minutes-item").count()).toBe(1);
    expect(await hana.getByText(down.reference).count()).toBe(0);
    await hana.getByRole("link", { name: `Challenge this decision on case ${up.reference}` }).click();
    await hana.getByLabel("Who disagrees, and with what?").fill("Community health disagrees that the threshold for social care is met");
    await hana.getByLabel(CATEGORY_LABELS.threshold).check();
    await hana.getByLabel("Why do you disagree?").fill("Health visiting shows steady progress under the early help plan");
    await hana.getByRole("button", { name: "Raise the challenge" }).click();
    await hana.getByText("Challenge raised.").waitFor();
    await expectAccessible(hana);
    // Escalated twice: first to the area's other team manager, then to a service manager.
    for (const reason of ["No agreement between practitioners", "Team managers did not agree"]) {
      await hana.getByText("Escalate to the next stage").click();
      await hana.getByLabel("Why does it need the next stage?").fill(reason);
      await hana.getByRole("button", { name: "Escalate" }).click();
      await hana.getByText("Challenge escalated.").waitFor();
    }
    await hana.getByText("Stage 3: service managers").first().waitFor();
    await hana.getByText("Sam Service (Stage 3: service managers)").waitFor();
    await hana.context().close();
    const escalated = await db.selectFrom("outbox").select(["recipient"]).where("kind", "=", "challenge_escalated").execute();
    expect(escalated.map((m) => m.recipient)).toContain("service.manager@example.org");
  }, 240_000);
});
