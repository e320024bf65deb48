import { assign, setup } from "xstate";

/**
 * One panel meeting's lifecycle. Pure: dates and counts arrive in events; the
 * service layer decides when the cut-off has passed and counts ownerless actions.
 */

export const PANEL_MACHINE_VERSION = 1;

export const PANEL_STATES = [
  "scheduled",
  "agendaOpen",
  "agendaClosed",
  "inSession",
  "concluded",
  "minutesPublished",
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
    readyToConclude: ({ event }) =>
      event.type === "CONCLUDE" && event.ownerlessActions === 0 && event.undecidedItems === 0,
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
    scheduled: { on: { OPEN_AGENDA: "agendaOpen", ...cancel } },
    agendaOpen: { on: { CUT_OFF: "agendaClosed", ...cancel } },
    agendaClosed: { on: { START: "inSession", ...cancel } },
    inSession: { on: { CONCLUDE: { guard: "readyToConclude", target: "concluded", actions: "recordConclusion" } } },
    concluded: { on: { PUBLISH_MINUTES: { target: "minutesPublished", actions: "recordPublication" } } },
    minutesPublished: { type: "final" },
    cancelled: { type: "final" },
  },
});
