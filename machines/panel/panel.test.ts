import { transition } from "xstate";
import { describe, expect, it } from "vitest";
import { PANEL_STATES, panelMachine, type PanelEvent, type PanelState } from "./panel.machine";

const at = "2026-11-25T10:00:00.000Z";

function snapshotIn(state: PanelState) {
  return panelMachine.resolveState({ value: state, context: { cancelledReason: null, concludedAt: null, publishedAt: null } });
}

function step(state: PanelState, event: PanelEvent): PanelState | "refused" {
  const snapshot = snapshotIn(state);
  if (!snapshot.can(event)) return "refused";
  return transition(panelMachine, snapshot, event)[0].value as PanelState;
}

const EVENTS: Record<string, PanelEvent> = {
  "open agenda": { type: "OPEN_AGENDA", at },
  "cut-off": { type: "CUT_OFF", at },
  start: { type: "START", at },
  conclude: { type: "CONCLUDE", at, ownerlessActions: 0, undecidedItems: 0 },
  "conclude with an ownerless action": { type: "CONCLUDE", at, ownerlessActions: 1, undecidedItems: 0 },
  "conclude with an undecided item": { type: "CONCLUDE", at, ownerlessActions: 0, undecidedItems: 2 },
  publish: { type: "PUBLISH_MINUTES", at },
  cancel: { type: "CANCEL", at, reason: "Chair unwell; items move to the next panel" },
  "cancel without a reason": { type: "CANCEL", at, reason: " " },
};

const TABLE: Record<PanelState, Record<string, PanelState>> = {
  scheduled: { "open agenda": "agenda_open", cancel: "cancelled" },
  agenda_open: { "cut-off": "agenda_closed", cancel: "cancelled" },
  agenda_closed: { start: "in_session", cancel: "cancelled" },
  in_session: { conclude: "concluded" },
  concluded: { publish: "minutes_published" },
  minutes_published: {},
  cancelled: {},
};

describe("the panel lifecycle machine", () => {
  for (const state of PANEL_STATES) {
    for (const [name, event] of Object.entries(EVENTS)) {
      const expected = TABLE[state][name] ?? "refused";
      it(`${state} + ${name} → ${expected}`, () => {
        expect(step(state, event)).toBe(expected);
      });
    }
  }

  it("keeps the cancellation reason", () => {
    const [next] = transition(panelMachine, snapshotIn("agenda_open"), EVENTS.cancel);
    expect(next.context.cancelledReason).toBe("Chair unwell; items move to the next panel");
  });
});
