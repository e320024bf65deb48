import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { isValidNhsNumber } from "../../domain/nhs-number";
import { backends, useTestDatabase } from "../support/database";
import { HttpClient } from "../support/http-client";
import { submitCompleteRequest } from "../support/requests";
import { seedDemoUsers, useTestServer } from "../support/server";

describe("NHS numbers", () => {
  it("are ten digits whose last is the Modulus 11 check digit", () => {
    expect(isValidNhsNumber("943 476 5919")).toBe(true);
    expect(isValidNhsNumber("9434765919")).toBe(true);
    expect(isValidNhsNumber("943-476-5919")).toBe(true);
    expect(isValidNhsNumber("943 476 5918")).toBe(false); // wrong check digit
    expect(isValidNhsNumber("943 476 591")).toBe(false); // nine digits
    expect(isValidNhsNumber("1000000010")).toBe(false); // the check would be 10: never issued
  });
});

describe.each(backends)("finding a child (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });
  const deps = () => ({ db: t.db, clock });

  async function twoChildren() {
    await seedDemoUsers(t.db);
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const crewe = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    const alfie = await submitCompleteRequest(deps(), referrer, "step_up", crewe.id, {
      child: { firstName: "Alfie", lastName: "Aardvark", dobDay: "27", dobMonth: "3", dobYear: "2015", nhsNumber: "943 476 5919" },
    });
    const bella = await submitCompleteRequest(deps(), referrer, "step_up", crewe.id, {
      child: { firstName: "Bella", lastName: "Badger", dobDay: "2", dobMonth: "11", dobYear: "2018", caseSystemId: "LCS-40321" },
    });
    return { alfie, bella };
  }

  async function search(client: HttpClient, q: string) {
    const response = await client.post("/cases?index", { csrf: await client.csrfFrom("/cases"), q });
    const page = await response.text();
    // What was found, above the person's own cases.
    return { status: response.status, page: page.split('<h2 class="govuk-heading-m">My cases</h2>')[0]! };
  }

  it("finds a child the person may see by name, date of birth, reference, NHS number or case system number, and lists their own cases", async () => {
    const { alfie, bella } = await twoChildren();
    const referrer = new HttpClient(server.url);
    await referrer.signIn("referrer@example.org", DEMO_PASSWORD);
    const mine = await (await referrer.get("/cases")).text();
    expect(mine).toContain("My cases");
    expect(mine).toContain("Alfie Aardvark");
    expect(mine).toContain("Bella Badger");
    // The search goes in the body, never the address.
    expect(mine).toMatch(/<form method="post"[^>]*action="\/cases\?index"/);

    for (const [q, found] of [
      ["aardvark", [alfie.reference]],
      ["Alfie Aard", [alfie.reference]],
      ["27/3/2015", [alfie.reference]],
      ["2015-03-27", [alfie.reference]],
      ["alfie 27/3/2015", [alfie.reference]],
      [alfie.reference.toLowerCase(), [alfie.reference]],
      ["9434765919", [alfie.reference]],
      ["lcs-40321", [bella.reference]],
      ["badger 27/3/2015", []],
    ] as const) {
      const { status, page } = await search(referrer, q);
      expect(status, q).toBe(200);
      for (const ref of [alfie.reference, bella.reference])
        expect(page.includes(`/cases/${ref}"`), `${q} → ${ref}`).toBe(found.includes(ref as never));
    }
    const bad = await search(referrer, "943 476 5918");
    expect(bad.status).toBe(422);
    expect(bad.page).toContain("That is not a real NHS number");
    expect(bad.page).toContain('value="943 476 5918"');

    // The cases shown are audited; what was typed is not kept.
    const rows = await t.db.selectFrom("audit_events").select(["detail"]).where("action", "=", "case.search").execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(/aardvark|Alfie|27\/3\/2015|9434765919/i);
    expect(rows.some((r) => JSON.stringify(r.detail).includes(alfie.reference))).toBe(true);
  });

  it("answers the same for a child someone may not see as for one who does not exist", async () => {
    const { alfie } = await twoChildren();
    for (const email of ["partner.health@example.org", "chair.macclesfield@example.org"]) {
      const other = new HttpClient(server.url);
      await other.signIn(email, DEMO_PASSWORD);
      const hidden = await search(other, "Aardvark");
      const none = await search(other, "Zzyzx");
      expect(hidden.page, email).not.toContain(alfie.reference);
      expect(hidden.page).not.toContain("Alfie");
      expect(hidden.page).toContain("No children found");
      expect(none.page).toContain("No children found");
      expect((await search(other, alfie.reference)).page).toContain("No children found");
      expect((await search(other, "9434765919")).page).toContain("No children found");
    }
    // The area's own chair finds the child.
    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    expect((await search(chair, "Aardvark")).page).toContain(alfie.reference);
  });
});
