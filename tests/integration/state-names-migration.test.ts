import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../app/lib/clock";
import { startMeeting, viewMeeting } from "../../app/services/meeting.server";
import { viewCase } from "../../app/services/cases.server";
import { migrateDown, migrateToLatest } from "../../db/migrate";
import { backends, useTestDatabase } from "../support/database";
import { actorFor } from "../support/factories";
import { panelArea } from "../support/panels";
import { submitCompleteRequest } from "../support/requests";

describe.each(backends)("one naming of machine states in every table (%s)", (backend) => {
  const t = useTestDatabase(backend);
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = () => ({ db: t.db, clock });

  it("moves saved panels, cases and their history between the old and the snake-case names, both ways, and the app reads them", async () => {
    const p = await panelArea(t.db, deps());
    const up = await submitCompleteRequest(deps(), p.referrer, "step_up", p.area.id);
    const panel = (
      await t.db.selectFrom("panels").select(["id", "version"]).where("area_id", "=", p.area.id).orderBy("starts_at").execute()
    )[1];
    clock.set("2026-12-09T09:58:00Z");
    await startMeeting(deps(), actorFor(p.chair), panel.id, { version: panel.version });

    const state = async () => ({
      panel: (
        await sql<{
          status: string;
          value: string;
        }>`select status, lifecycle->>'value' as value from panels where id = ${panel.id}`.execute(t.db)
      ).rows[0],
      history: (
        await sql<{ to_status: string }>`select to_status from panel_transitions where panel_id = ${panel.id} order by id`.execute(t.db)
      ).rows.map((r) => r.to_status),
      journey: (await sql<{ value: string }>`select journey->>'value' as value from cases where reference = ${up.reference}`.execute(t.db))
        .rows[0].value,
    });
    expect(await state()).toEqual({
      panel: { status: "in_session", value: "in_session" },
      history: ["agenda_open", "agenda_closed", "in_session"],
      journey: "step_up_requested",
    });

    // Going down past the renaming gives the names data saved before it had; going up brings them back.
    await migrateDown(t.db, "20261125090000_snake_case_states");
    expect(await state()).toEqual({
      panel: { status: "inSession", value: "inSession" },
      history: ["agendaOpen", "agendaClosed", "inSession"],
      journey: "stepUpRequested",
    });
    await migrateToLatest(t.db);
    expect(await state()).toEqual({
      panel: { status: "in_session", value: "in_session" },
      history: ["agenda_open", "agenda_closed", "in_session"],
      journey: "step_up_requested",
    });
    expect((await viewMeeting(deps(), actorFor(p.chair), panel.id)).panel.status).toBe("in_session");
    expect((await viewCase(deps(), actorFor(p.chair), up.reference)).case.status).toBe("step_up_requested");
    // The status columns still refuse a name that is not a state.
    await expect(sql`update panels set status = 'inSession' where id = ${panel.id}`.execute(t.db)).rejects.toThrow();
  });
});
