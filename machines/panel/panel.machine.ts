import { assign, setup, transition } from "xstate";

/**
 * One panel meeting's lifecycle. Pure: dates and counts arrive in events; the
 * service layer decides when the cut-off has passed and counts ownerless actions.
 */

export const PANEL_MACHINE_VERSION = 1;

export const PANEL_STATES = [
  "scheduled",
  "agenda_open",
  "agenda_closed",
  "in_session",
  "concluded",
  "minutes_published",
  "cancelled",
] as const;
export type PanelState = (typeof PANEL_STATES)[number];

export interface PanelContext {
  cancelledReason: string | null;
  concludedAt: string | null;
  publishedAt: string | null;
}

export type PanelEvent =
  | { type: "OPEN_AGENDA"; at: string }
  | { type: "CUT_OFF"; at: string }
  | { type: "START"; at: string }
  | { type: "CONCLUDE"; at: string; ownerlessActions: number; undecidedItems: number }
  | { type: "PUBLISH_MINUTES"; at: string }
  | { type: "CANCEL"; at: string; reason: string };

const cancel = {
  CANCEL: { guard: "hasReason", target: "cancelled", actions: "recordCancellation" },
} as const;

export const panelMachine = setup({
  types: { context: {} as PanelContext, events: {} as PanelEvent },
  guards: {
    hasReason: ({ event }) => event.type === "CANCEL" && event.reason.trim().length > 0,
    // Every action has an owner and every item a decision before a panel can conclude.
    readyToConclude: ({ event }) => event.type === "CONCLUDE" && event.ownerlessActions === 0 && event.undecidedItems === 0,
  },
  actions: {
    recordCancellation: assign({ cancelledReason: ({ event }) => (event.type === "CANCEL" ? event.reason.trim() : null) }),
    recordConclusion: assign({ concludedAt: ({ event }) => event.at }),
    recordPublication: assign({ publishedAt: ({ event }) => event.at }),
  },
}).createMachine({
  id: "panel",
  context: { cancelledReason: null, concludedAt: null, publishedAt: null },
  initial: "scheduled",
  states: {
    scheduled: { on: { OPEN_AGENDA: "agenda_open", ...cancel } },
    agenda_open: { on: { CUT_OFF: "agenda_closed", ...cancel } },
    agenda_closed: { on: { START: "in_session", ...cancel } },
    in_session: { on: { CONCLUDE: { guard: "readyToConclude", target: "concluded", actions: "recordConclusion" } } },
    concluded: { on: { PUBLISH_MINUTES: { target: "minutes_published", actions: "recordPublication" } } },
    minutes_published: { type: "final" },
    cancelled: { type: "final" },
  },
});

/** What is stored beside the panel's `status` column. */
export interface PersistedPanel {
  version: number;
  value: PanelState;
  context: PanelContext;
}

export const INITIAL_PANEL: PersistedPanel = {
  version: PANEL_MACHINE_VERSION,
  value: "scheduled",
  context: { cancelledReason: null, concludedAt: null, publishedAt: null },
};

export type PanelStep = { ok: true; from: PanelState; to: PanelState; panel: PersistedPanel } | { ok: false; from: PanelState };

/** Applies one event to a saved panel; an event it cannot take is refused, never ignored. */
export function applyPanelEvent(saved: PersistedPanel, event: PanelEvent): PanelStep {
  const snapshot = panelMachine.resolveState({ value: saved.value, context: saved.context });
  const from = snapshot.value as PanelState;
  if (!snapshot.can(event)) return { ok: false, from };
  const [next] = transition(panelMachine, snapshot, event);
  return {
    ok: true,
    from,
    to: next.value as PanelState,
    panel: { version: PANEL_MACHINE_VERSION, value: next.value as PanelState, context: next.context },
  };
}

/** The events that take a panel from where it is to in session, in order. */
export function eventsToStart(from: PanelState, at: string): PanelEvent[] {
  const path: Partial<Record<PanelState, PanelEvent[]>> = {
    scheduled: [
      { type: "OPEN_AGENDA", at },
      { type: "CUT_OFF", at },
      { type: "START", at },
    ],
    agenda_open: [
      { type: "CUT_OFF", at },
      { type: "START", at },
    ],
    agenda_closed: [{ type: "START", at }],
  };
  return path[from] ?? [];
}
