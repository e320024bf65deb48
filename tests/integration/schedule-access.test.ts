import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { scheduleSchema } from "../../app/forms/panel";
import { validate } from "../../app/lib/validation";
import { listPanelSchedules, saveSchedule, scheduleForEdit } from "../../app/services/panel-schedules.server";
import { agendaFor } from "../../app/services/agenda.server";
import { backends, useTestDatabase } from "../support/database";
import { actorFor, createArea, createUser } from "../support/factories";
import { panelArea, parsed, scheduleForm } from "../support/panels";

describe.each(backends)("a schedule takes only its own area's people, from someone who acts for that area (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock });
  const form = (over: Record<string, string | string[]>) => parsed(validate(scheduleSchema("2026-11-23"), scheduleForm(over)));

  it("refuses a chair or core member from another area, and a manager of another area", async () => {
    const crewe = await panelArea(t.db, deps());
    const macc = await createArea(t.db, "Macclesfield");
    const maccChair = await createUser(t.db, { role: "team_manager", areaId: macc.id });
    const admin = actorFor(crewe.admin);

    // A Crewe school professional as a Macclesfield core member, a Crewe chair as its chair: refused.
    await expect(
      saveSchedule(deps(), admin, macc.id, form({ chairUserId: String(maccChair.id), coreUserIds: [String(crewe.referrer.id)] })),
    ).rejects.toMatchObject({
      fieldErrors: { coreUserIds: "Choose core members from the list" },
    });
    await expect(saveSchedule(deps(), admin, macc.id, form({ chairUserId: String(crewe.chair.id) }))).rejects.toMatchObject({
      fieldErrors: { chairUserId: "Choose the chair from the list" },
    });
    // Someone of the area who is not a manager cannot chair.
    const maccSchool = await createUser(t.db, { role: "professional", areaId: macc.id });
    await expect(saveSchedule(deps(), admin, macc.id, form({ chairUserId: String(maccSchool.id) }))).rejects.toMatchObject({
      fieldErrors: { chairUserId: "Choose the chair from the list" },
    });
    expect(await t.db.selectFrom("panel_schedules").select("area_id").where("area_id", "=", macc.id).execute()).toEqual([]);

    // The page offers only the area's own people (and managers of every area).
    const offered = (await scheduleForEdit(deps(), admin, macc.id))!.people.map((p) => p.id);
    expect(offered).toContain(maccChair.id);
    expect(offered).toContain(maccSchool.id);
    expect(offered).toContain(crewe.serviceManager.id);
    expect(offered).not.toContain(crewe.referrer.id);
    expect(offered).not.toContain(crewe.chair.id);

    // A service manager of Crewe alone may not touch Macclesfield's schedule, nor see it listed.
    const creweManager = actorFor(await createUser(t.db, { role: "service_manager", areaId: crewe.area.id, allAreas: false }));
    await expect(saveSchedule(deps(), creweManager, macc.id, form({ chairUserId: String(maccChair.id) }))).rejects.toMatchObject({
      status: 403,
    });
    await expect(scheduleForEdit(deps(), creweManager, macc.id)).rejects.toMatchObject({ status: 403 });
    await saveSchedule(deps(), admin, macc.id, form({ chairUserId: String(maccChair.id), coreUserIds: [String(maccSchool.id)] }));
    expect((await listPanelSchedules(deps(), creweManager)).map((s) => s.area_id)).toEqual([crewe.area.id]);
    expect((await listPanelSchedules(deps(), admin)).map((s) => s.area_id).sort()).toEqual([crewe.area.id, macc.id].sort());

    // So a Crewe professional never reads a Macclesfield agenda as a core member.
    const panel = await t.db
      .selectFrom("panels")
      .select("id")
      .where("area_id", "=", macc.id)
      .orderBy("starts_at")
      .executeTakeFirstOrThrow();
    await expect(agendaFor(deps(), actorFor(crewe.referrer), panel.id)).rejects.toMatchObject({ status: 404 });
  });
});
