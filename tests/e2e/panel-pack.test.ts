import { describe, expect, it } from "vitest";
import { browserAvailable, expectAccessible } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";
import { backends } from "../support/database";
import { pdfPages } from "../support/pdf";

/**
 * The pack in the browser, on the demo: the chair sends the agenda of the
 * Crewe panel holding the waiting requests; a core member follows the email's
 * link, reads the pack and marks it read; the health partner's pack holds her
 * step ups only and she adds what health knows; the chair sees both, and the
 * pack prints on marked, numbered A4 pages.
 */
describe.skipIf(!browserAvailable).each(backends)("the panel pack (%s)", (backend) => {
  const suite = useBrowserSuite({ demo: true, backend });

  it("is emailed by link, read and marked read by a core member, added to by a partner for her item only, and seen by the chair", async () => {
    const crewe = await suite.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    const panel = await suite.db
      .selectFrom("panels")
      .innerJoin("agenda_items", "agenda_items.panel_id", "panels.id")
      .select(["panels.id"])
      .where("panels.area_id", "=", crewe.id)
      .where("panels.kind", "=", "routine")
      .where("panels.status", "in", ["scheduled", "agenda_open", "agenda_closed"])
      .where("agenda_items.status", "=", "listed")
      .groupBy("panels.id")
      .orderBy("panels.id", "desc")
      .executeTakeFirstOrThrow();
    const items = await suite.db
      .selectFrom("agenda_items")
      .innerJoin("requests", "requests.id", "agenda_items.request_id")
      .innerJoin("cases", "cases.id", "agenda_items.case_id")
      .select(["agenda_items.id", "requests.kind", "cases.reference"])
      .where("agenda_items.panel_id", "=", panel.id)
      .where("agenda_items.status", "=", "listed")
      .orderBy("agenda_items.position")
      .execute();
    const stepUp = items.find((i) => i.kind === "step_up")!;
    const stepDown = items.find((i) => i.kind === "step_down")!;
    expect(stepUp && stepDown).toBeTruthy();

    // The chair keeps health to the step ups (every demo request names health), then sends the agenda if it has not gone.
    const chair = await suite.as("chair.crewe@example.org");
    for (const item of items.filter((i) => i.kind === "step_down")) {
      await chair.goto(`${suite.url}/panels/${panel.id}/items/${item.id}`);
      const agency = chair.getByRole("group", { name: "Agencies to invite for this item" }).getByLabel("Community Health Services");
      const person = chair.getByRole("group", { name: "People to invite for this item" }).getByLabel(/Hana Health/);
      if (await agency.isChecked()) await agency.uncheck();
      if ((await person.count()) && (await person.isChecked())) await person.uncheck();
      await chair.getByRole("button", { name: "Save the item" }).click();
      await chair.waitForURL(/done=saved/);
    }
    await chair.goto(`${suite.url}/panels/${panel.id}`);
    const send = chair.getByRole("button", { name: "Send the agenda" });
    if (await send.isVisible()) {
      await send.click();
      await chair.waitForURL(/done=sent/);
    }

    // Val, a core member, follows the link in her email: no child in it.
    const mail = await suite.db
      .selectFrom("outbox")
      .select(["subject", "text_body"])
      .where("kind", "=", "pack_ready")
      .where("recipient", "=", "volunteer@example.org")
      .where(
        "idempotency_key",
        "=",
        `pack:${panel.id}:to:${(await suite.db.selectFrom("users").select("id").where("email", "=", "volunteer@example.org").executeTakeFirstOrThrow()).id}`,
      )
      .executeTakeFirstOrThrow();
    expect(mail.subject).toMatch(/^Threshold: the pack for the Crewe panel/);
    const link = /https?:\/\/\S+\/panels\/\d+\/pack/.exec(mail.text_body)![0];
    const val = await suite.as("volunteer@example.org");
    await val.goto(`${suite.url}${new URL(link).pathname}`);
    await val.getByRole("heading", { name: "Panel pack" }).waitFor();
    await val.getByRole("heading", { name: new RegExp(stepDown.reference) }).waitFor();
    await expectAccessible(val);
    await val.getByRole("button", { name: "Mark the pack read" }).click();
    await val.getByText("Marked read. The chair can see you have read the pack.").waitFor();

    // Hana's pack holds the items she is invited for, not the others; she adds what health knows.
    const hanaId = (
      await suite.db.selectFrom("users").select("id").where("email", "=", "partner.health@example.org").executeTakeFirstOrThrow()
    ).id;
    const invites = await suite.db
      .selectFrom("agenda_items")
      .innerJoin("cases", "cases.id", "agenda_items.case_id")
      .select(["agenda_items.id", "cases.reference", "agenda_items.invite_sent_user_ids"])
      .where("agenda_items.panel_id", "=", panel.id)
      .where("agenda_items.status", "=", "listed")
      .execute();
    const hers = invites.find((i) => i.invite_sent_user_ids.includes(hanaId))!;
    const notHers = invites.filter((i) => !i.invite_sent_user_ids.includes(hanaId));
    expect(hers.reference).toBeTruthy();
    expect(notHers.length).toBeGreaterThan(0);
    const hana = await suite.as("partner.health@example.org");
    await hana.goto(`${suite.url}/panels/${panel.id}/pack`);
    await hana.getByRole("heading", { name: new RegExp(hers.reference) }).waitFor();
    const hanaPage = await hana.content();
    for (const other of notHers) expect(hanaPage).not.toContain(other.reference);
    const item = hana.locator(`#item-${hers.id}`);
    await item.getByText(`Add what Community Health Services knows about ${hers.reference}`).click();
    await item.getByRole("button", { name: "Add to the pack" }).click();
    await hana.getByText("Enter what your agency knows about the child and family").first().waitFor();
    await expectAccessible(hana);
    await hana
      .getByLabel(`What does Community Health Services know about the child and family? (${hers.reference})`)
      .fill("Health visitor saw the family on 16 November; two missed immunisations.");
    await hana.getByRole("button", { name: "Add to the pack" }).click();
    await hana.getByText("Added to the pack.").waitFor();

    // The chair sees who has read it and what health added.
    await chair.goto(`${suite.url}/panels/${panel.id}/pack`);
    const readers = chair.getByRole("table", { name: "Who has read the pack" });
    await readers.getByRole("row", { name: /Val Volunteer/ }).waitFor();
    expect(
      await readers
        .getByRole("row", { name: /Val Volunteer/ })
        .getByText("Not yet")
        .count(),
    ).toBe(0);
    expect(
      await readers
        .getByRole("row", { name: /Hana Health/ })
        .getByText("Not yet")
        .count(),
    ).toBe(1);
    await chair.getByText("Health visitor saw the family on 16 November; two missed immunisations.").waitFor();
    await expectAccessible(chair);
    await chair.goto(`${suite.url}/panels/${panel.id}`);
    await chair.getByText(/The pack has been read by 1 of the \d+ people invited; not yet by/).waitFor();

    // Printed, every page is marked and numbered, and the forms are left out.
    await chair.goto(`${suite.url}/panels/${panel.id}/pack`);
    await chair.emulateMedia({ media: "print" });
    const pages = pdfPages(await chair.pdf({ format: "A4", preferCSSPageSize: true }));
    expect(pages.length).toBeGreaterThan(items.length);
    pages.forEach((text, i) => {
      expect(text).toContain("OFFICIAL-SENSITIVE");
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    expect(pages.join("\n")).not.toContain("Mark the pack read");
  });
});
