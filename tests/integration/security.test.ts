import http from "node:http";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { validate } from "../../app/lib/validation";
import { agendaItemSchema, scheduleSchema } from "../../app/forms/panel";
import { recordDecision, viewCase } from "../../app/services/cases.server";
import { challengeRegister, registerCsv } from "../../app/services/challenges.server";
import { saveSchedule } from "../../app/services/panel-schedules.server";
import { concludePanel, decideItem, startMeeting } from "../../app/services/meeting.server";
import { moveThroughAgenda } from "../../app/services/live-panel.server";
import { resetCalendarFeed } from "../../app/services/calendar-feed.server";
import { editUser } from "../../app/services/admin.server";
import { editAgendaItem, sendAgenda, viewAgenda } from "../../app/services/agenda.server";
import { publishMinutes, viewMinutes } from "../../app/services/minutes.server";
import { getDraft, saveDraftPage, submitRequest } from "../../app/services/requests.server";
import { DEMO_PASSWORD, loadDemoUser } from "../../app/seed/demo";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, createAgency, createArea, createUser } from "../support/factories";
import { HttpClient } from "../support/http-client";
import { decisionForm, parsed, scheduleForm } from "../support/panels";
import { childAnswers, stepDownAnswers, submitCompleteRequest, startAnsweredDraft } from "../support/requests";
import { seedDemoUsers, startTestServer, useTestServer } from "../support/server";
import { loadConfig } from "../../app/server/config";

/** Every line the app logs while `run` runs, with logging switched on. */
async function captureLogs(run: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const level = process.env.LOG_LEVEL;
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const consoleError = console.error;
  process.env.LOG_LEVEL = "info";
  process.stdout.write = ((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0) as typeof process.stderr.write;
  console.error = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  try {
    await run();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    console.error = consoleError;
    process.env.LOG_LEVEL = level;
  }
  return lines.join("").split("\n").filter(Boolean);
}

/** Streams a chunked body (no Content-Length) until the server answers; how much it took. */
function postChunked(url: string, path: string, totalBytes: number): Promise<{ status: number; sentWhenAnswered: number }> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, url);
    let sent = 0;
    let answered = false;
    const req = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" },
      },
      (res) => {
        answered = true;
        res.resume();
        resolve({ status: res.statusCode ?? 0, sentWhenAnswered: sent });
      },
    );
    req.on("error", (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (!answered && sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe.each(backends)("holes found by the penetration test (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const server = useTestServer(t, { clock });
  const deps = () => ({ db: t.db, clock });

  afterEach(() => clock.set("2026-11-23T09:00:00Z"));

  /** Crewe's schedule (demo users) and two requests on the 9 December panel. */
  async function crewePanel() {
    await seedDemoUsers(t.db);
    const admin = await loadDemoUser(t.db, "admin@example.org");
    const chair = await loadDemoUser(t.db, "chair.crewe@example.org");
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const partner = await loadDemoUser(t.db, "partner.health@example.org");
    const crewe = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    await saveSchedule(
      deps(),
      actorFor(admin),
      crewe.id,
      parsed(validate(scheduleSchema("2026-11-23"), scheduleForm({ chairUserId: String(chair.id) }))),
    );
    const a = await submitCompleteRequest(deps(), referrer, "step_up", crewe.id, { child: { firstName: "Alfie", lastName: "Aardvark" } });
    const b = await submitCompleteRequest(deps(), referrer, "step_down", crewe.id, { child: { firstName: "Bella", lastName: "Badger" } });
    const panel = (await t.db.selectFrom("panels").selectAll().where("area_id", "=", crewe.id).orderBy("starts_at").execute())[1];
    const items = await t.db.selectFrom("agenda_items").selectAll().where("panel_id", "=", panel.id).orderBy("position").execute();
    const itemA = items.find((i) => i.request_id === a.requestId)!;
    const itemB = items.find((i) => i.request_id === b.requestId)!;
    // The agenda is sent, so invitations below reach people (and their access follows them) at once.
    await sendAgenda(deps(), actorFor(chair), panel.id, { version: panel.version });
    const sent = await t.db.selectFrom("panels").selectAll().where("id", "=", panel.id).executeTakeFirstOrThrow();
    return { admin, chair, referrer, partner, crewe, panel: sent, a, b, itemA, itemB };
  }

  const panelVersion = async (id: number) =>
    (await t.db.selectFrom("panels").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;
  const caseVersion = async (id: number) =>
    (await t.db.selectFrom("cases").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;

  async function invite(chairId: number, panelId: number, itemId: number, userIds: number[]) {
    const chair = await t.db.selectFrom("users").select("id").where("id", "=", chairId).executeTakeFirstOrThrow();
    const form = { version: String(await panelVersion(panelId)), slotMinutes: "15", userIds: userIds.map(String) };
    await editAgendaItem(
      deps(),
      actorFor(await loadDemoUser(t.db, "chair.crewe@example.org")),
      panelId,
      itemId,
      parsed(validate(agendaItemSchema, form)),
    );
    return chair;
  }

  it("1. refuses script, data and vbscript links in every meeting-link field, and never shows a stored one as a link", async () => {
    const { panel } = await crewePanel();
    const chair = new HttpClient(server.url);
    await chair.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const details = {
      intent: "details",
      meetingDay: "9",
      meetingMonth: "12",
      meetingYear: "2026",
      startTime: "10:00",
      endTime: "12:00",
      venue: "Delamere House",
    };
    for (const link of ["javascript:alert(1)", "  JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", "VBScript:msgbox(1)"]) {
      const refused = await chair.submit(`/panels/${panel.id}`, {
        ...details,
        version: String(await panelVersion(panel.id)),
        meetingLink: link,
      });
      expect(refused.status).toBe(422);
      expect(await refused.text()).toContain("Enter the meeting link as a full web address, starting https://");
    }
    const admin = new HttpClient(server.url);
    await admin.signIn("admin@example.org", DEMO_PASSWORD);
    const crewe = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    const schedule = await admin.submit(`/schedules/${crewe.id}`, {
      ...scheduleForm(),
      meetingLink: "javascript:fetch('/cases')",
    } as Record<string, string>);
    expect(schedule.status).toBe(422);
    const stored = await t.db.selectFrom("panels").select("meeting_link").where("id", "=", panel.id).executeTakeFirstOrThrow();
    expect(stored.meeting_link).toBe("https://meet.example.org/crewe");
    const scheduleLink = await t.db
      .selectFrom("panel_schedules")
      .select("meeting_link")
      .where("area_id", "=", crewe.id)
      .executeTakeFirstOrThrow();
    expect(scheduleLink.meeting_link).toBe("https://meet.example.org/crewe");

    // A link stored before this rule (or by any other road) is shown as text, never as a link.
    await t.db.updateTable("panels").set({ meeting_link: " javascript:alert(document.cookie)" }).where("id", "=", panel.id).execute();
    const page = await (await chair.get(`/panels/${panel.id}`)).text();
    expect(page).not.toMatch(/href="\s*javascript:/i);
    expect(page).toContain("Link not shown");
    const good = await chair.submit(`/panels/${panel.id}`, {
      ...details,
      version: String(await panelVersion(panel.id)),
      meetingLink: "https://meet.example.org/new",
    });
    expect(good.status).toBe(302);
    expect(await (await chair.get(`/panels/${panel.id}`)).text()).toContain('href="https://meet.example.org/new"');
  });

  it("2. a request on an existing case keeps the child's identity and area, and only its own agencies", async () => {
    await seedDemoUsers(t.db);
    const crewe = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    const macc = await t.db.selectFrom("areas").select("id").where("name", "=", "Macclesfield").executeTakeFirstOrThrow();
    const chair = await loadDemoUser(t.db, "chair.crewe@example.org");
    const referrer = await loadDemoUser(t.db, "referrer@example.org");
    const up = await submitCompleteRequest(deps(), referrer, "step_up", crewe.id);
    await recordDecision(deps(), actorFor(chair), up.reference, {
      requestId: up.requestId,
      version: (await viewCase(deps(), actorFor(chair), up.reference)).case.version,
      outcome: "step_up_agreed",
      reasons: "Threshold met",
      riskHolderChoice: { name: "Chris Crewe", role: "team manager", agency: "Children's Social Care" },
    });
    const before = await t.db.selectFrom("cases").selectAll().where("reference", "=", up.reference).executeTakeFirstOrThrow();
    const stranger = await createAgency(t.db, "police", "An agency not involved");

    // Someone who cannot see the case cannot bring it to a panel.
    const outsider = await createUser(t.db, { role: "professional", areaId: macc.id });
    const outsiderDraft = await startAnsweredDraft(deps(), actorFor(outsider), "step_down");
    expect(
      await saveDraftPage(deps(), actorFor(outsider), outsiderDraft, "child", childAnswers(macc.id, { existingReference: up.reference })),
    ).toEqual({
      existingReference: "No case with that reference that you can see",
    });

    // The referrer may: but names, date of birth, address and area typed here are not the case's.
    const actor = actorFor(referrer);
    const id = await startAnsweredDraft(deps(), actor, "step_down");
    expect(
      await saveDraftPage(
        deps(),
        actor,
        id,
        "child",
        childAnswers(macc.id, {
          existingReference: up.reference,
          firstName: "Mallory",
          lastName: "Overwrite",
          address: "9 Elsewhere Road",
        }),
      ),
    ).toBeNull();
    expect(await saveDraftPage(deps(), actor, id, "details", stepDownAnswers({ "agencies[]": [String(stranger.id)] }))).toEqual({
      "agencies[]": "Select agencies from the list",
    });
    expect(await saveDraftPage(deps(), actor, id, "details", stepDownAnswers({ "agencies[]": [String(referrer.agencyId)] }))).toBeNull();
    // Even a draft edited behind the pages' back cannot name another agency.
    const draft = await getDraft(deps(), actor, id);
    await t.db
      .updateTable("requests")
      .set({ answers: JSON.stringify({ ...draft.answers, "agencies[]": [String(stranger.id)] }) })
      .where("id", "=", id)
      .execute();
    await expect(submitRequest(deps(), actor, id)).rejects.toMatchObject({
      fieldErrors: { "agencies[]": "Select agencies from the list" },
    });
    await t.db
      .updateTable("requests")
      .set({ answers: JSON.stringify(draft.answers) })
      .where("id", "=", id)
      .execute();
    const result = await submitRequest(deps(), actor, id);
    expect(result.reference).toBe(up.reference);

    const after = await t.db.selectFrom("cases").selectAll().where("reference", "=", up.reference).executeTakeFirstOrThrow();
    expect(after).toMatchObject({
      child_first_name: before.child_first_name,
      child_last_name: before.child_last_name,
      child_date_of_birth: before.child_date_of_birth,
      child_address: before.child_address,
      area_id: crewe.id,
    });
    const request = await t.db.selectFrom("requests").select(["area_id"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(request.area_id).toBe(crewe.id);
    const agencies = await t.db.selectFrom("case_agencies").select("agency_id").where("case_id", "=", after.id).execute();
    expect(agencies.map((a) => a.agency_id)).not.toContain(stranger.id);
    // The request went to Crewe's panel, decided by Crewe's chair, not Macclesfield's.
    const placed = await t.db
      .selectFrom("agenda_items")
      .innerJoin("panels", "panels.id", "agenda_items.panel_id")
      .select("panels.area_id")
      .where("agenda_items.request_id", "=", id)
      .executeTakeFirst();
    if (placed) expect(placed.area_id).toBe(crewe.id);
  });

  it("3. someone invited for one item sees only that item, everywhere, while the invitation stands", async () => {
    const { chair, partner, panel, a, b, itemA, itemB } = await crewePanel();
    const health = new HttpClient(server.url);
    await health.signIn("partner.health@example.org", DEMO_PASSWORD);
    // Not invited: nothing, live page and its event stream included; and no insight figures for a partner.
    expect((await health.get(`/panels/${panel.id}`)).status).toBe(404);
    expect((await health.get(`/cases/${a.reference}`)).status).toBe(404);
    expect((await health.get(`/panels/${panel.id}/live`)).status).toBe(404);
    expect((await health.get(`/panels/${panel.id}/live/events`)).status).toBe(404);
    for (const path of ["/insight", "/insight/decisions-by-outcome.csv", "/insight/census-return.csv"]) {
      expect((await health.get(path)).status, path).toBe(403);
    }

    await invite(chair.id, panel.id, itemA.id, [partner.id]);
    const response = await health.get(`/panels/${panel.id}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(a.reference);
    expect(page).not.toContain(b.reference);
    expect(page).toContain("You are invited for the item below only");
    expect((await health.get(`/cases/${a.reference}`)).status).toBe(200);
    expect((await health.get(`/cases/${b.reference}`)).status).toBe(404);
    expect((await health.get(`/panels/${panel.id}/invite.ics`)).status).toBe(404);

    // Removal takes effect at once: the panel and the case are gone for them.
    await invite(chair.id, panel.id, itemA.id, []);
    expect((await health.get(`/panels/${panel.id}`)).status).toBe(404);
    expect((await health.get(`/cases/${a.reference}`)).status).toBe(404);

    // Invited again, the panel runs; the minutes (page and email) carry their item only.
    await invite(chair.id, panel.id, itemA.id, [partner.id]);
    clock.set("2026-12-09T09:58:00Z");
    const chairActor = actorFor(chair);
    await startMeeting(deps(), chairActor, panel.id, { version: await panelVersion(panel.id) });
    // The live page and its event stream name their item only (signed in again: the clock moved on).
    await health.signIn("partner.health@example.org", DEMO_PASSWORD);
    const live = await (await health.get(`/panels/${panel.id}/live`)).text();
    expect(live).toContain(a.reference);
    expect(live).not.toContain(b.reference);
    const stream = await health.get(`/panels/${panel.id}/live/events`);
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = stream.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(first).toContain(a.reference);
    expect(first).not.toContain(b.reference);
    await decideItem(deps(), chairActor, panel.id, decisionForm("2026-12-09", itemA.id, await caseVersion(itemA.case_id)));
    await decideItem(
      deps(),
      chairActor,
      panel.id,
      decisionForm("2026-12-09", itemB.id, await caseVersion(itemB.case_id), {
        outcome: "step_down_agreed_early_help",
        reasons: "Bella's plan is complete",
        leadPractitioner: "Ed Early",
        transferDay: "16",
        transferMonth: "12",
        transferYear: "2026",
      }),
    );
    await concludePanel(deps(), chairActor, panel.id, { version: await panelVersion(panel.id) });
    await publishMinutes(deps(), chairActor, panel.id, { version: await panelVersion(panel.id) });
    const minutes = await (await health.get(`/panels/${panel.id}/minutes`)).text();
    expect(minutes).toContain(a.reference);
    expect(minutes).not.toContain(b.reference);
    expect(minutes).not.toContain("Bella&#x27;s plan is complete");
    expect(minutes).not.toContain("plan is complete");
    // The minutes say where the panel met, and the decision can be challenged from them.
    expect(minutes).toContain("Delamere House, room 2");
    expect(minutes).toContain('href="https://meet.example.org/crewe"');
    expect(minutes).toContain(`href="/cases/${a.reference}/challenge?decision=`);
    expect(minutes).not.toContain(`href="/cases/${b.reference}/challenge`);
    expect((await health.get(`/cases/${a.reference}/challenge`)).status).toBe(200);
    const service = await viewMinutes(deps(), actorFor(partner), panel.id);
    expect(service.minutes.items.map((i) => i.reference)).toEqual([a.reference]);
    expect((await viewMinutes(deps(), chairActor, panel.id)).minutes.items.map((i) => i.reference).sort()).toEqual(
      [a.reference, b.reference].sort(),
    );
    const agenda = await viewAgenda(deps(), actorFor(partner), panel.id);
    expect(agenda.items.map((i) => i.reference)).toEqual([a.reference]);
    const mail = await t.db
      .selectFrom("outbox")
      .select(["text_body"])
      .where("kind", "=", "minutes_published")
      .where("recipient", "=", partner.email)
      .execute();
    expect(mail).toHaveLength(1);
    expect(mail[0].text_body).toContain("the part for the item you were invited to discuss");
    expect(mail[0].text_body).not.toContain(b.reference);
  });

  it("3. removal from a started item, signing out everywhere and deactivation end access at once, open live streams included", async () => {
    const { admin, chair, partner, panel, a, itemA } = await crewePanel();
    await invite(chair.id, panel.id, itemA.id, [partner.id]);
    clock.set("2026-12-09T09:58:00Z");
    await startMeeting(deps(), actorFor(chair), panel.id, { version: await panelVersion(panel.id) });
    const itemAFirst = (await t.db.selectFrom("agenda_items").select("position").where("id", "=", itemA.id).executeTakeFirstOrThrow())
      .position;
    if (itemAFirst !== 1) await moveThroughAgenda(deps(), actorFor(chair), panel.id, { move: "next" });
    await moveThroughAgenda(deps(), actorFor(chair), panel.id, { move: "next" });
    const health = new HttpClient(server.url);
    await health.signIn("partner.health@example.org", DEMO_PASSWORD);

    /** Opens the live stream and reads its first view; `ended()` says whether the server has closed it within a few seconds. */
    async function openStream() {
      const response = await health.get(`/panels/${panel.id}/live/events`);
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toContain(a.reference);
      return {
        async ended() {
          const outcome = await Promise.race([
            (async () => {
              for (;;) if ((await reader.read()).done) return "ended";
            })(),
            new Promise((resolve) => setTimeout(() => resolve("still open"), 3000)),
          ]);
          if (outcome !== "ended") await reader.cancel();
          return outcome;
        },
      };
    }

    // Removed from the item under discussion: the case page and the open stream go at once.
    const watching = await openStream();
    expect((await health.get(`/cases/${a.reference}`)).status).toBe(200);
    await invite(chair.id, panel.id, itemA.id, []);
    expect(await watching.ended()).toBe("ended");
    expect((await health.get(`/cases/${a.reference}`)).status).toBe(404);
    expect((await health.get(`/panels/${panel.id}/live/events`)).status).toBe(404);

    // Signed out on every device from another browser: this stream ends, and the calendar address stops working.
    await invite(chair.id, panel.id, itemA.id, [partner.id]);
    const feed = new URL(await resetCalendarFeed(deps(), actorFor(partner))).pathname;
    expect((await health.get(feed)).status).toBe(200);
    const second = await openStream();
    const elsewhere = new HttpClient(server.url);
    await elsewhere.signIn("partner.health@example.org", DEMO_PASSWORD);
    expect((await elsewhere.post("/sign-out", { csrf: await elsewhere.csrfFrom("/"), everywhere: "yes" })).status).toBe(302);
    expect(await second.ended()).toBe("ended");
    expect((await health.get(feed)).status).toBe(404);
    expect((await health.get(`/cases/${a.reference}`)).status).toBe(303);

    // Deactivated by an administrator: the same.
    await health.signIn("partner.health@example.org", DEMO_PASSWORD);
    const third = await openStream();
    await editUser(deps(), actorFor(admin), partner.id, {
      name: partner.name,
      email: partner.email,
      role: partner.role,
      agencyId: partner.agencyId,
      areaId: partner.areaId,
      active: false,
    });
    expect(await third.ended()).toBe("ended");
  });

  it("3. a chair can invite only the people and agencies the page offers", async () => {
    const { chair, panel, itemA } = await crewePanel();
    const invitedBefore = await t.db
      .selectFrom("agenda_items")
      .select(["invited_user_ids", "invited_agency_ids"])
      .where("id", "=", itemA.id)
      .executeTakeFirstOrThrow();
    const macc = await t.db.selectFrom("areas").select("id").where("name", "=", "Macclesfield").executeTakeFirstOrThrow();
    const elsewhere = await createUser(t.db, { role: "partner", areaId: macc.id });
    const inactive = await createUser(t.db, { role: "partner", areaId: (await createArea(t.db)).id });
    for (const id of [elsewhere.id, inactive.id, 2_147_483_000]) {
      const form = { version: String(await panelVersion(panel.id)), slotMinutes: "15", userIds: [String(id)] };
      await expect(
        editAgendaItem(deps(), actorFor(chair), panel.id, itemA.id, parsed(validate(agendaItemSchema, form))),
      ).rejects.toMatchObject({
        fieldErrors: { userIds: "Choose people from the list" },
      });
    }
    const form = { version: String(await panelVersion(panel.id)), slotMinutes: "15", agencyIds: ["999999"] };
    await expect(
      editAgendaItem(deps(), actorFor(chair), panel.id, itemA.id, parsed(validate(agendaItemSchema, form))),
    ).rejects.toMatchObject({
      fieldErrors: { agencyIds: "Choose agencies from the list" },
    });
    const item = await t.db
      .selectFrom("agenda_items")
      .select(["invited_user_ids", "invited_agency_ids"])
      .where("id", "=", itemA.id)
      .executeTakeFirstOrThrow();
    expect(item).toEqual(invitedBefore);
    // Over HTTP too: a posted id the page never offered is a field error, not an invitation.
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    const response = await c.submit(`/panels/${panel.id}/items/${itemA.id}`, {
      version: String(await panelVersion(panel.id)),
      slotMinutes: "15",
      userIds: String(elsewhere.id),
    });
    expect(response.status).toBe(422);
  });

  it("4. sends returnTo only to paths on this site, whatever characters it carries", async () => {
    await seedDemoUsers(t.db);
    for (const returnTo of [
      "/\t/other.example/",
      "/\r\n/other.example/",
      "/\u000b/other.example",
      "/\u0000/x",
      "//other.example",
      "/\\other.example",
      "https://other.example/",
      "/.//other.example",
    ]) {
      const c = new HttpClient(server.url);
      const page = await c.get(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
      expect(page.status).toBe(200);
      const csrf = await c.csrfFrom("/sign-in");
      const response = await c.post("/sign-in", { csrf, email: "referrer@example.org", password: DEMO_PASSWORD, returnTo });
      // Control characters no one types make the form itself unreadable (400); anything else signs in and goes home.
      if (returnTo.includes("\u0000") || returnTo.includes("\u000b")) {
        expect(response.status).toBe(400);
        continue;
      }
      expect([302, 303]).toContain(response.status);
      expect(response.headers.get("location")).toBe("/");
    }
    const c = new HttpClient(server.url);
    const csrf = await c.csrfFrom("/sign-in");
    const ok = await c.post("/sign-in", { csrf, email: "referrer@example.org", password: DEMO_PASSWORD, returnTo: "/submissions?x=1" });
    expect(ok.headers.get("location")).toBe("/submissions?x=1");
    // Signed in, the sign-in page sends you on at once: escapes in the query decode to the same characters.
    for (const raw of [
      "/%09/other.example/",
      "/%0D%0A/other.example/",
      "/%0B/other.example",
      "/%00/x",
      "%2F%2Fother.example",
      "/%5Cother.example",
    ]) {
      const response = await c.get(`/sign-in?returnTo=${raw}`);
      expect(response.headers.get("location"), raw).toBe("/");
    }
  });

  it("5. neutralises formula cells in the challenge register CSV", async () => {
    await seedDemoUsers(t.db);
    const manager = await loadDemoUser(t.db, "service.manager@example.org");
    const register = await challengeRegister(deps(), actorFor(manager), {});
    const csv = registerCsv([
      ...register.rows,
      {
        ...(register.rows[0] ?? {}),
        id: 1,
        reference: "TH-2026-000001",
        area_name: "Crewe",
        agency_name: "@Agency",
        raiser_name: "+Raiser",
        category: "threshold",
        status: "stage1",
        overdue: false,
        resolution: null,
        created_at: new Date(),
        closed_at: null,
        days_open: 1,
        risk_holder: '=HYPERLINK("https://evil.example","click")',
      } as never,
    ]);
    expect(csv).toContain(`"'=HYPERLINK(""https://evil.example"",""click"")"`);
    expect(csv).toContain("'@Agency");
    expect(csv).toContain("'+Raiser");
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it("6. cuts a body that trickles in on the public sign-in page, within the time limit, with 408", async () => {
    expect(loadConfig({ NODE_ENV: "test" }).bodyTimeLimitMs).toBeLessThanOrEqual(30_000);
    const quick = await startTestServer(t.db, { clock, config: { bodyTimeLimitMs: 1500 } });
    try {
      const target = new URL("/sign-in", quick.url);
      const started = Date.now();
      const answer = await new Promise<{ status: number; after: number }>((resolve, reject) => {
        const req = http.request(
          {
            hostname: target.hostname,
            port: target.port,
            path: target.pathname,
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded", "content-length": "10000" },
          },
          (res) => {
            clearInterval(drip);
            res.resume();
            resolve({ status: res.statusCode ?? 0, after: Date.now() - started });
            req.destroy();
          },
        );
        req.on("error", (error) => (Date.now() - started > 1000 ? undefined : reject(error)));
        // A byte every tenth of a second: 10,000 would take over 16 minutes.
        const drip = setInterval(() => req.write("a"), 100);
      });
      expect(answer.status).toBe(408);
      expect(answer.after).toBeLessThan(5000);
    } finally {
      await quick.close();
    }
  });

  it("6. stops an oversized body as it arrives, chunked or declared, signed in or out, with 413", async () => {
    await seedDemoUsers(t.db);
    const signedOut = await postChunked(server.url, "/sign-in", 64 * 1024 * 1024);
    expect(signedOut.status).toBe(413);
    expect(signedOut.sentWhenAnswered).toBeLessThan(16 * 1024 * 1024);
    const declared = await fetch(`${server.url}/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "a=" + "b".repeat(1_100_000),
    });
    expect(declared.status).toBe(413);
    // Signed in: the same, before any route parses it.
    const c = new HttpClient(server.url);
    await c.signIn("referrer@example.org", DEMO_PASSWORD);
    const cookie = (c as unknown as { cookieHeader(): string }).cookieHeader();
    const big = await fetch(`${server.url}/requests/new`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "kind=step_up&x=" + "b".repeat(1_100_000),
    });
    expect(big.status).toBe(413);
    expect(await t.db.selectFrom("requests").select("id").execute()).toHaveLength(0);
    // A body under the limit still works.
    expect((await c.submit("/requests/new", { kind: "step_up" })).status).toBe(302);
  });

  it("7. logs a database failure as one JSON line with class, code and request id, never the child's details", async () => {
    await seedDemoUsers(t.db);
    const c = new HttpClient(server.url);
    await c.signIn("referrer@example.org", DEMO_PASSWORD);
    const created = await c.submit("/requests/new", { kind: "step_up" });
    await c.submit(created.headers.get("location")!, { immediateRisk: "no" });
    const draftPath = created.headers.get("location")!.replace(/\/[a-z-]+$/, "/child");
    const crewe = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    const csrf = await c.csrfFrom(draftPath);
    // Break the table the page writes to, so the write fails inside the database.
    await sql`alter table requests rename column answers to answers_moved`.execute(t.db);
    let response: Response | undefined;
    try {
      const lines = await captureLogs(async () => {
        response = await c.post(draftPath, {
          csrf,
          ...childAnswers(crewe.id, { firstName: "Zebedee", lastName: "Quartermaine", address: "42 Secret Lane" }),
        });
        await response.text();
      });
      expect(response!.status).toBe(500);
      const failure = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === "error");
      expect(failure.length).toBeGreaterThan(0);
      expect(failure[0]).toMatchObject({ msg: "unhandled", code: "42703" });
      expect(failure[0].requestId).toEqual(response!.headers.get("x-request-id"));
      const all = lines.join("\n");
      for (const secret of ["Zebedee", "Quartermaine", "42 Secret Lane", "Secret", "2015"]) expect(all).not.toContain(secret);
      // Every line is one JSON object.
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    } finally {
      await sql`alter table requests rename column answers_moved to answers`.execute(t.db);
    }
  });

  it("8. answers bad input with 400, out-of-range ids with 404 and TRACE with 405, never 500", async () => {
    const { panel } = await crewePanel();
    const c = new HttpClient(server.url);
    await c.signIn("chair.crewe@example.org", DEMO_PASSWORD);
    for (const path of [
      `/panels/2147483648`,
      `/panels/99999999999999999999`,
      `/panels/${panel.id}/items/2147483648`,
      "/challenges/2147483648",
    ]) {
      expect((await c.get(path)).status, path).toBe(404);
    }
    expect((await c.get(`/panels/${panel.id}/meeting?item=2147483648`)).status).not.toBe(500);
    expect((await c.get("/panels/extraordinary?area=99999999999")).status).not.toBe(500);
    expect((await c.get("/challenges/register?area=2147483648")).status).toBe(400);
    const admin = new HttpClient(server.url);
    await admin.signIn("admin@example.org", DEMO_PASSWORD);
    expect((await admin.get("/admin/users/2147483648")).status).toBe(404);
    const trace = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const target = new URL(server.url);
      http.request({ hostname: target.hostname, port: target.port, path: "/", method: "TRACE" }, resolve).on("error", reject).end();
    });
    trace.resume();
    expect(trace.statusCode).toBe(405);
    expect(trace.headers.allow).toBe("GET, HEAD, POST");
    expect((await fetch(`${server.url}/panels/%00`)).status).toBe(400);
    expect((await fetch(`${server.url}/%E0%A4%A`)).status).toBe(400);

    const referrer = new HttpClient(server.url);
    await referrer.signIn("referrer@example.org", DEMO_PASSWORD);
    const riskPage = (await referrer.submit("/requests/new", { kind: "step_up" })).headers.get("location")!;
    await referrer.submit(riskPage, { immediateRisk: "no" });
    const draft = riskPage.replace(/\/[a-z-]+$/, "/child");
    const crewe = await t.db.selectFrom("areas").select("id").where("name", "=", "Crewe").executeTakeFirstOrThrow();
    const dob = await referrer.submit(draft, childAnswers(crewe.id, { dobDay: "x", dobMonth: "y", dobYear: "zz" }));
    expect(dob.status).toBe(422);
    expect(await dob.text()).toContain("Date of birth must be a real date");
    const nul = await referrer.submit(draft, childAnswers(crewe.id, { firstName: "Ja\u0000mie" }));
    expect(nul.status).toBe(400);
    const stored = await t.db.selectFrom("requests").select("answers").execute();
    expect(JSON.stringify(stored)).not.toContain("\\u0000");
    expect(JSON.stringify(stored)).toContain('"firstName":"Jamie"');
  });
});
