import { assign, setup } from "xstate";

/**
 * A case's threshold journey between early help and children's social care.
 *
 * Pure: no database, no clock (every date arrives in an event), no I/O. The
 * service layer persists the snapshot and the `status` beside it.
 */

export const CASE_JOURNEY_VERSION = 1;

export const CASE_STATES = [
  "early_help",
  "step_up_requested",
  "social_care",
  "step_down_requested",
  "volunteer_support",
  "front_door",
  "closed",
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** Where a case can sit while no request is open. */
export type ServiceState = "early_help" | "social_care" | "volunteer_support";

export type StepDownTarget = "early_help" | "volunteer_support" | "universal";

export const DECISION_OUTCOMES = [
  "step_up_agreed",
  "step_down_agreed_early_help",
  "step_down_agreed_volunteer_support",
  "not_agreed",
  "deferred",
  "referred_to_front_door",
  "signposted",
] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export interface CaseJourneyContext {
  /** The service the case returns to if an open request is not agreed or withdrawn. */
  returnTo: ServiceState | null;
  openRequest: { kind: "step_up" | "step_down"; target: StepDownTarget | "social_care" } | null;
  /** ISO timestamp of the last agreed step down, for the bounce-back flag. */
  lastSteppedDownAt: string | null;
  closedReason: string | null;
}

export type CaseJourneyEvent =
  | { type: "REQUEST_STEP_UP"; at: string; immediateRisk: boolean }
  | {
      type: "REQUEST_STEP_DOWN";
      at: string;
      immediateRisk: boolean;
      target: StepDownTarget;
      familyConsent: boolean;
      outcomes: string[];
      proposedLead: string | null;
    }
  | { type: "PANEL_DECISION"; at: string; outcome: DecisionOutcome }
  | { type: "WITHDRAW_REQUEST"; at: string }
  | { type: "REFER_TO_FRONT_DOOR"; at: string }
  | { type: "FRONT_DOOR_OUTCOME"; at: string; to: "social_care" | "early_help" }
  | { type: "CLOSE"; at: string; reason: string }
  | { type: "REOPEN"; at: string; to: ServiceState }
  /** A professional challenge overturned the panel's decision: the case goes where the new decision says. */
  | { type: "DECISION_CHANGED"; at: string; to: ServiceState };

export interface CaseJourneyInput {
  startIn: ServiceState;
}

/** A step down needs the family's consent (early help is voluntary), named outcomes, and a lead or service. */
export function stepDownIsComplete(event: Extract<CaseJourneyEvent, { type: "REQUEST_STEP_DOWN" }>): boolean {
  const needsConsent = event.target === "early_help" || event.target === "volunteer_support";
  const outcomes = event.outcomes.filter((o) => o.trim().length > 0);
  return (!needsConsent || event.familyConsent) && outcomes.length > 0 && Boolean(event.proposedLead?.trim());
}

const isOutcome =
  (outcome: DecisionOutcome) =>
  ({ event }: { event: CaseJourneyEvent }) =>
    event.type === "PANEL_DECISION" && event.outcome === outcome;

export const caseJourneyMachine = setup({
  types: {
    context: {} as CaseJourneyContext,
    events: {} as CaseJourneyEvent,
    input: {} as CaseJourneyInput,
  },
  guards: {
    immediateRisk: ({ event }) => (event.type === "REQUEST_STEP_UP" || event.type === "REQUEST_STEP_DOWN") && event.immediateRisk,
    stepDownComplete: ({ event }) => event.type === "REQUEST_STEP_DOWN" && stepDownIsComplete(event),
    stepUpAgreed: isOutcome("step_up_agreed"),
    stepDownToEarlyHelp: isOutcome("step_down_agreed_early_help"),
    stepDownToVolunteers: isOutcome("step_down_agreed_volunteer_support"),
    notAgreed: isOutcome("not_agreed"),
    deferred: isOutcome("deferred"),
    signposted: isOutcome("signposted"),
    toFrontDoor: isOutcome("referred_to_front_door"),
    stepUpDeclined: ({ context, event }, params: { returnTo: ServiceState }) =>
      event.type === "PANEL_DECISION" &&
      (event.outcome === "not_agreed" || event.outcome === "signposted") &&
      (context.returnTo === "volunteer_support" ? "volunteer_support" : "early_help") === params.returnTo,
    returnsToVolunteers: ({ context }) => context.returnTo === "volunteer_support",
    hasReason: ({ event }) => event.type === "CLOSE" && event.reason.trim().length > 0,
    reopenToEarlyHelp: ({ event }) => event.type === "REOPEN" && event.to === "early_help",
    reopenToSocialCare: ({ event }) => event.type === "REOPEN" && event.to === "social_care",
    reopenToVolunteers: ({ event }) => event.type === "REOPEN" && event.to === "volunteer_support",
    changedTo: ({ event }, params: { to: ServiceState }) => event.type === "DECISION_CHANGED" && event.to === params.to,
    frontDoorAccepted: ({ event }) => event.type === "FRONT_DOOR_OUTCOME" && event.to === "social_care",
    frontDoorToEarlyHelp: ({ event }) => event.type === "FRONT_DOOR_OUTCOME" && event.to === "early_help",
  },
  actions: {
    openStepUp: assign({ openRequest: () => ({ kind: "step_up" as const, target: "social_care" as const }) }),
    openStepDown: assign({
      openRequest: ({ event }) => (event.type === "REQUEST_STEP_DOWN" ? { kind: "step_down" as const, target: event.target } : null),
    }),
    rememberEarlyHelp: assign({ returnTo: "early_help" as const }),
    rememberVolunteers: assign({ returnTo: "volunteer_support" as const }),
    rememberSocialCare: assign({ returnTo: "social_care" as const }),
    clearRequest: assign({ openRequest: null }),
    recordStepDown: assign({ lastSteppedDownAt: ({ event }) => event.at, openRequest: null }),
    recordClosure: assign({
      closedReason: ({ event }) => (event.type === "CLOSE" ? event.reason.trim() : "signposted"),
      openRequest: null,
    }),
    clearClosure: assign({ closedReason: null }),
  },
}).createMachine({
  id: "caseJourney",
  context: ({ input }) => ({
    returnTo: input.startIn,
    openRequest: null,
    lastSteppedDownAt: null,
    closedReason: null,
  }),
  initial: "starting",
  states: {
    // A transient state: a case starts wherever the family is being supported now.
    starting: {
      always: [
        { guard: ({ context }) => context.returnTo === "social_care", target: "social_care" },
        { guard: ({ context }) => context.returnTo === "volunteer_support", target: "volunteer_support" },
        { target: "early_help" },
      ],
    },
    early_help: {
      on: {
        DECISION_CHANGED: [
          { guard: { type: "changedTo", params: { to: "social_care" } }, target: "social_care", actions: "rememberSocialCare" },
          { guard: { type: "changedTo", params: { to: "volunteer_support" } }, target: "volunteer_support", actions: "rememberVolunteers" },
        ],
        REQUEST_STEP_UP: [
          { guard: "immediateRisk", target: "front_door", actions: "clearRequest" },
          { target: "step_up_requested", actions: ["rememberEarlyHelp", "openStepUp"] },
        ],
        REFER_TO_FRONT_DOOR: { target: "front_door" },
        CLOSE: { guard: "hasReason", target: "closed", actions: "recordClosure" },
      },
    },
    volunteer_support: {
      on: {
        DECISION_CHANGED: [
          { guard: { type: "changedTo", params: { to: "early_help" } }, target: "early_help", actions: "rememberEarlyHelp" },
          { guard: { type: "changedTo", params: { to: "social_care" } }, target: "social_care", actions: "rememberSocialCare" },
        ],
        REQUEST_STEP_UP: [
          { guard: "immediateRisk", target: "front_door", actions: "clearRequest" },
          { target: "step_up_requested", actions: ["rememberVolunteers", "openStepUp"] },
        ],
        REFER_TO_FRONT_DOOR: { target: "front_door" },
        CLOSE: { guard: "hasReason", target: "closed", actions: "recordClosure" },
      },
    },
    step_up_requested: {
      on: {
        PANEL_DECISION: [
          { guard: "stepUpAgreed", target: "social_care", actions: ["clearRequest", "rememberSocialCare"] },
          { guard: "deferred", target: "step_up_requested" },
          { guard: "toFrontDoor", target: "front_door", actions: "clearRequest" },
          // Not agreed, or signposted elsewhere: early help (or volunteer support) carries on.
          {
            guard: { type: "stepUpDeclined", params: { returnTo: "volunteer_support" } },
            target: "volunteer_support",
            actions: "clearRequest",
          },
          {
            guard: { type: "stepUpDeclined", params: { returnTo: "early_help" } },
            target: "early_help",
            actions: "clearRequest",
          },
        ],
        WITHDRAW_REQUEST: [
          { guard: "returnsToVolunteers", target: "volunteer_support", actions: "clearRequest" },
          { target: "early_help", actions: "clearRequest" },
        ],
        REFER_TO_FRONT_DOOR: { target: "front_door", actions: "clearRequest" },
      },
    },
    social_care: {
      on: {
        DECISION_CHANGED: [
          { guard: { type: "changedTo", params: { to: "early_help" } }, target: "early_help", actions: "rememberEarlyHelp" },
          { guard: { type: "changedTo", params: { to: "volunteer_support" } }, target: "volunteer_support", actions: "rememberVolunteers" },
        ],
        REQUEST_STEP_DOWN: [
          { guard: "immediateRisk", target: "front_door", actions: "clearRequest" },
          { guard: "stepDownComplete", target: "step_down_requested", actions: ["rememberSocialCare", "openStepDown"] },
        ],
        REFER_TO_FRONT_DOOR: { target: "front_door" },
        CLOSE: { guard: "hasReason", target: "closed", actions: "recordClosure" },
      },
    },
    step_down_requested: {
      on: {
        PANEL_DECISION: [
          { guard: "stepDownToEarlyHelp", target: "early_help", actions: ["recordStepDown", "rememberEarlyHelp"] },
          {
            guard: "stepDownToVolunteers",
            target: "volunteer_support",
            actions: ["recordStepDown", "rememberVolunteers"],
          },
          { guard: "deferred", target: "step_down_requested" },
          { guard: "notAgreed", target: "social_care", actions: "clearRequest" },
          // Signposted out of social care to universal services: the case ends here.
          { guard: "signposted", target: "closed", actions: ["recordStepDown", "recordClosure"] },
          { guard: "toFrontDoor", target: "front_door", actions: "clearRequest" },
        ],
        WITHDRAW_REQUEST: { target: "social_care", actions: "clearRequest" },
        REFER_TO_FRONT_DOOR: { target: "front_door", actions: "clearRequest" },
      },
    },
    front_door: {
      on: {
        FRONT_DOOR_OUTCOME: [
          { guard: "frontDoorAccepted", target: "social_care", actions: "rememberSocialCare" },
          { guard: "frontDoorToEarlyHelp", target: "early_help", actions: "rememberEarlyHelp" },
        ],
        CLOSE: { guard: "hasReason", target: "closed", actions: "recordClosure" },
      },
    },
    closed: {
      on: {
        REOPEN: [
          { guard: "reopenToEarlyHelp", target: "early_help", actions: ["clearClosure", "rememberEarlyHelp"] },
          { guard: "reopenToSocialCare", target: "social_care", actions: ["clearClosure", "rememberSocialCare"] },
          { guard: "reopenToVolunteers", target: "volunteer_support", actions: ["clearClosure", "rememberVolunteers"] },
        ],
      },
    },
  },
});
