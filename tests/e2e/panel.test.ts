import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { loadDemoUser as loadUser } from "../../app/seed/demo";
import { browserAvailable, expectAccessible } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";
import { submitCompleteRequest } from "../support/requests";

describe.skipIf(!browserAvailable)("running a panel in a real browser", () => {
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const suite = useBrowserSuite({ clock });

  const as = suite.as;

  it("sets a schedule, then a chair runs the agenda, attendance, decisions, actions and minutes; the owner closes the action", async () => {
    // An administrator sets Crewe's schedule; a bad time is refused next to its field.
    const admin = await as("admin@example.org");
    await admin.getByRole("link", { name: "Schedules" }).first().click();
    await admin.getByRole("link", { name: "Crewe" }).click();
    await expectAccessible(admin);
    await admin.locator("#firstDay").fill("25");
    await admin.locator("#firstMonth").fill("11");
    await admin.locator("#firstYear").fill("2026");
    await admin.getByLabel("End time").fill("09:00");
    await admin.getByLabel("Chair").selectOption({ label: "Chris Crewe, Children's Social Care" });
    await admin.getByLabel("Venue").fill("Delamere House, room 2");
    await admin.getByRole("button", { name: "Save the schedule" }).click();
    await admin.getByRole("link", { name: "The end time must be after the start time" }).waitFor();
    await expect(admin.getByLabel("Venue").inputValue()).resolves.toBe("Delamere House, room 2");
    await admin.getByLabel("End time").fill("12:00");
    await admin.getByRole("button", { name: "Save the schedule" }).click();
    await admin.getByText("Schedule saved").waitFor();
    await admin.context().close();

    const deps = { db: suite.db, clock };
    const referrer = await loadUser(suite.db, "referrer@example.org");
    const crewe = await suite.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    const up = await submitCompleteRequest(deps, referrer, "step_up", crewe.id);
    const down = await submitCompleteRequest(deps, referrer, "step_down", crewe.id);

    clock.set("2026-12-09T09:55:00Z");
    const chair = await as("chair.crewe@example.org");
    await chair.getByRole("link", { name: "Panels", exact: true }).first().click();
    await chair.getByRole("link", { name: "9 December 2026" }).click();
    await chair.getByRole("heading", { name: "Crewe panel, 9 December 2026" }).waitFor();
    await chair.getByRole("cell", { name: "10:00am to 10:15am" }).waitFor();
    await expectAccessible(chair);
    // The chair gives the first item 20 minutes and invites health for it; the next slot follows.
    await chair.getByRole("link", { name: `Edit slot for ${up.reference}` }).click();
    await chair.getByRole("heading", { name: `Agenda item ${up.reference}` }).waitFor();
    await expectAccessible(chair);
    await chair.getByLabel("Slot length in minutes").fill("20");
    await chair.getByLabel("Community Health Services", { exact: true }).check();
    await chair.getByRole("button", { name: "Save the item" }).click();
    await chair.getByText("Agenda item saved.").waitFor();
    await chair.getByRole("cell", { name: "10:20am to 10:35am" }).waitFor();
    // The whole order in one step: the step down to first (the step up's 20 minutes follow it), then back.
    for (const [first, starts] of [
      [down, "10:15am to 10:35am"],
      [up, "10:20am to 10:35am"],
    ] as const) {
      await chair.getByText("Change the order of the agenda").click();
      await chair.getByLabel(`Place of case ${first.reference}`).fill("1");
      if (first === down) await expectAccessible(chair);
      await chair.getByRole("button", { name: "Save the order" }).click();
      await chair.getByText("The agenda's order was saved.").waitFor();
      await chair.getByRole("cell", { name: starts }).waitFor();
    }
    await chair.getByRole("button", { name: "Close the agenda and start the meeting" }).click();
    await chair.getByRole("heading", { name: /Chairing:/ }).waitFor();
    await chair.getByText("Not represented: children's social care and early help").waitFor();
    await expectAccessible(chair);

    await chair.getByRole("group", { name: "Chris Crewe, Children's Social Care (chair)" }).getByLabel("Present in person").check();
    await chair.getByRole("button", { name: "Save attendance" }).click();
    await chair.getByText("Attendance saved.").waitFor();
    await chair.getByText("Not represented: early help").waitFor();

    // First item: a decision without reasons is refused; what was typed stays.
    await chair.getByRole("heading", { name: new RegExp(`${up.reference}: step up`) }).waitFor();
    await chair.getByLabel("Discussion summary (optional)").fill("School and health describe missed appointments");
    await chair.getByLabel("Step up agreed").check();
    await chair.getByRole("button", { name: "Record the decision" }).click();
    await chair.getByRole("link", { name: "Enter the reasons for the decision" }).waitFor();
    await expect(chair.getByLabel("Discussion summary (optional)").inputValue()).resolves.toBe(
      "School and health describe missed appointments",
    );
    await chair.getByLabel("Reasons").fill("Threshold for assessment met");
    await chair.getByLabel("Who holds the risk").selectOption({ label: "Chris Crewe, Children's Social Care" });
    await chair.getByRole("button", { name: "Record the decision" }).click();
    await chair.getByText("Decision recorded.").waitFor();

    await chair.getByLabel("What needs to be done").fill("Share the health chronology with the allocated social worker");
    await chair.getByLabel("Owner", { exact: true }).selectOption({ label: "Hana Health, Community Health Services" });
    await chair.locator("#dueDay").fill("8");
    await chair.locator("#dueMonth").fill("12");
    await chair.locator("#dueYear").fill("2026");
    await chair.getByRole("button", { name: "Add the action" }).click();
    await chair.getByText("The due date must be today or in the future").first().waitFor();
    await chair.locator("#dueDay").fill("11");
    await chair.getByRole("button", { name: "Add the action" }).click();
    await chair.getByText("Action added.").waitFor();
    await chair.locator("li", { hasText: "Share the health chronology" }).getByText("Hana Health, Community Health Services").waitFor();

    // Second item: the step-down.
    // The other items are folded away below the one under discussion.
    await chair.locator("#all-items summary").click();
    await chair.getByRole("link", { name: down.reference }).click();
    await chair.getByRole("heading", { name: new RegExp(`${down.reference}: step down`) }).waitFor();
    await chair.getByLabel("Step down agreed to early help").check();
    await chair.getByLabel("Reasons").fill("Plan outcomes met; early help can hold the plan");
    await chair.getByLabel("Who holds the risk").selectOption({ label: "Someone else: enter their name, role and agency" });
    await chair.getByLabel("Risk holder's full name (only for someone else)").fill("Erin North");
    await chair.getByLabel("Risk holder's role").fill("early help team manager");
    await chair.getByLabel("Risk holder's agency or team").fill("Early Help Team North");
    await chair
      .getByLabel("Lead practitioner (required for a step down)")
      .selectOption({ label: "Someone else: enter their name, role and agency" });
    await chair.getByLabel("Lead practitioner's full name (only for someone else)").fill("Eddie Early Help");
    await chair.getByLabel("Lead practitioner's role").fill("family support worker");
    await chair.getByLabel("Lead practitioner's agency or team").fill("Early Help");
    await chair.locator("#transferDay").fill("16");
    await chair.locator("#transferMonth").fill("12");
    await chair.locator("#transferYear").fill("2026");
    await chair.getByRole("button", { name: "Record the decision" }).click();
    await chair.getByText("Decision recorded.").waitFor();

    await chair.getByRole("button", { name: "Conclude the panel and draft the minutes" }).click();
    await chair.getByText("Draft minutes: review, then publish").waitFor();
    await chair.getByText("Share the health chronology with the allocated social worker").waitFor();
    await expectAccessible(chair);
    await chair.getByRole("button", { name: "Publish the minutes" }).click();
    await chair.getByText("The minutes are published").waitFor();
    expect(await chair.content()).not.toContain("Jamie");

    // The minutes print on A4 without the site's header, navigation or buttons.
    await chair.emulateMedia({ media: "print" });
    expect(await chair.getByRole("button", { name: "Print or save as PDF" }).isVisible()).toBe(false);
    expect(await chair.locator(".govuk-header").isVisible()).toBe(false);
    await chair.getByRole("heading", { name: "Crewe panel, 9 December 2026" }).waitFor();
    await chair.emulateMedia({ media: "screen" });

    // The other panel pages pass the accessibility scan too.
    for (const path of ["/panels", "/panels/extraordinary", "/calendar", "/challenges"]) {
      await chair.goto(`${suite.url}${path}`);
      await expectAccessible(chair);
    }

    // The cases moved on.
    await chair.goto(`${suite.url}/cases/${up.reference}`);
    await chair.getByText("Children's social care").first().waitFor();

    // The owner sees the action and closes it with a note.
    const hana = await as("partner.health@example.org");
    await hana.getByRole("link", { name: "My actions" }).first().click();
    await hana.getByText("Share the health chronology with the allocated social worker").waitFor();
    await expectAccessible(hana);
    await hana.getByText("Mark as done").first().click();
    await hana.getByLabel("What was done").fill("Sent on 10 December");
    await hana.getByRole("button", { name: "Mark as done" }).click();
    await hana.getByText("Action marked as done.").waitFor();
    await hana.getByText(/Sent on 10 December/).waitFor();
  });
});
