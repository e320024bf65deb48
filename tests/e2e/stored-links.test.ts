import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { validate } from "../../app/lib/validation";
import { scheduleSchema } from "../../app/forms/panel";
import { saveSchedule } from "../../app/services/panel-schedules.server";
import { loadDemoUser } from "../../app/seed/demo";
import { browserAvailable } from "../support/browser";
import { useBrowserSuite } from "../support/browser-suite";
import { actorFor } from "../support/factories";
import { parsed, scheduleForm } from "../support/panels";

describe.skipIf(!browserAvailable)("links people typed, in a real browser", () => {
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const suite = useBrowserSuite({ clock });

  it("never runs a stored script link, whatever its case or leading spaces; a web address opens as a link", async () => {
    const admin = await loadDemoUser(suite.db, "admin@example.org");
    const chair = await loadDemoUser(suite.db, "chair.crewe@example.org");
    const crewe = await suite.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    await saveSchedule(
      { db: suite.db, clock },
      actorFor(admin),
      crewe.id,
      parsed(validate(scheduleSchema("2026-11-23"), scheduleForm({ chairUserId: String(chair.id) }))),
    );
    const panel = await suite.db
      .selectFrom("panels")
      .select("id")
      .where("area_id", "=", crewe.id)
      .orderBy("starts_at")
      .executeTakeFirstOrThrow();

    const page = await suite.as("chair.crewe@example.org");
    for (const link of [" JaVaScRiPt:window.__ran = 1", "data:text/html,<script>opener.__ran = 1</script>", "\tvbscript:msgbox(1)"]) {
      // Stored behind the forms' back, as an older version or another road might have.
      await suite.db.updateTable("panels").set({ meeting_link: link }).where("id", "=", panel.id).execute();
      await page.goto(`${suite.url}/panels/${panel.id}`);
      const online = page.locator(".govuk-summary-list__row", { hasText: "Online" });
      await expect(online.textContent()).resolves.toContain("Link not shown");
      expect(await online.locator("a").count()).toBe(0);
      await online.click();
      expect(await page.evaluate(() => (window as unknown as { __ran?: number }).__ran)).toBeUndefined();
    }
    await suite.db.updateTable("panels").set({ meeting_link: "https://meet.example.org/crewe" }).where("id", "=", panel.id).execute();
    await page.goto(`${suite.url}/panels/${panel.id}`);
    const link = page.locator(".govuk-summary-list__row", { hasText: "Online" }).locator("a");
    expect(await link.getAttribute("href")).toBe("https://meet.example.org/crewe");
    await page.context().close();
  });
});
