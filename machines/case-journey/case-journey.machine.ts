import { assign, setup } from "xstate";

/**
 * A case's threshold journey between early help and children's social care.
 *
 * Pure: no database, no clock (every date arrives in an event), no I/O. The
 * service layer persists the snapshot and the `status` beside it.
 */

export const CASE_JOURNEY_VERSION = 1;

export const CASE_STATES = [
  "earlyHelp",
  "stepUpRequested",
  "socialCare",
  "stepDownRequested",
  "volunteerSupport",
  "frontDoor",
  "closed",
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** Where a case can sit while no request is open. */
export type ServiceState = "earlyHelp" | "socialCare" | "volunteerSupport";

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
  | { type: "FRONT_DOOR_OUTCOME"; at: string; to: "socialCare" | "earlyHelp" }
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
      (context.returnTo === "volunteerSupport" ? "volunteerSupport" : "earlyHelp") === params.returnTo,
    returnsToVolunteers: ({ context }) => context.returnTo === "volunteerSupport",
    hasReason: ({ event }) => event.type === "CLOSE" && event.reason.trim().length > 0,
    reopenToEarlyHelp: ({ event }) => event.type === "REOPEN" && event.to === "earlyHelp",
    reopenToSocialCare: ({ event }) => event.type === "REOPEN" && event.to === "socialCare",
    reopenToVolunteers: ({ event }) => event.type === "REOPEN" && event.to === "volunteerSupport",
    changedTo: ({ event }, params: { to: ServiceState }) => event.type === "DECISION_CHANGED" && event.to === params.to,
    frontDoorAccepted: ({ event }) => event.type === "FRONT_DOOR_OUTCOME" && event.to === "socialCare",
    frontDoorToEarlyHelp: ({ event }) => event.type === "FRONT_DOOR_OUTCOME" && event.to === "earlyHelp",
  },
  actions: {
    openStepUp: assign({ openRequest: () => ({ kind: "step_up" as const, target: "social_care" as const }) }),
    openStepDown: assign({
      openRequest: ({ event }) => (event.type === "REQUEST_STEP_DOWN" ? { kind: "step_down" as const, target: event.target } : null),
    }),
    rememberEarlyHelp: assign({ returnTo: "earlyHelp" as const }),
    rememberVolunteers: assign({ returnTo: "volunteerSupport" as const }),
    rememberSocialCare: assign({ returnTo: "socialCare" as const }),
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
        { guard: ({ context }) => context.returnTo === "socialCare", target: "socialCare" },
        { guard: ({ context }) => context.returnTo === "volunteerSupport", target: "volunteerSupport" },
        { target: "earlyHelp" },
      ],
    },
    earlyHelp: {
      on: {
        DECISION_CHANGED: [
          { guard: { type: "changedTo", params: { to: "socialCare" } }, target: "socialCare", actions: "rememberSocialCare" },
          { guard: { type: "changedTo", params: { to: "volunteerSupport" } }, target: "volunteerSupport", actions: "rememberVolunteers" },
        ],
        REQUEST_STEP_UP: [
          { guard: "immediateRisk", target: "frontDoor", actions: "clearRequest" },
          { target: "stepUpRequested", actions: ["rememberEarlyHelp", "openStepUp"] },
        ],
        REFER_TO_FRONT_DOOR: { target: "frontDoor" },
        CLOSE: { guard: "hasReason", target: "closed", actions: "recordClosure" },
      },
    },
    volunteerSupport: {
      on: {
        DECISION_CHANGED: [
          { guard: { type: "changedTo", params: { to: "earlyHelp" } }, target: "earlyHelp", actions: "rememberEarlyHelp" },
          { guard: { type: "changedTo", params: { to: "socialCare" } }, target: "socialCare", actions: "rememberSocialCare" },
        ],
        REQUEST_STEP_UP: [
          { guard: "immediateRisk", target: "frontDoor", actions: "clearRequest" },
          { target: "stepUpRequested", actions: ["rememberVolunteers", "openStepUp"] },
        ],
        REFER_TO_FRONT_DOOR: { target: "frontDoor" },
        CLOSE: { guard: "hasReason", target: "closed", actions: "recordClosure" },
      },
    },
    stepUpRequested: {
      on: {
        PANEL_DECISION: [
          { guard: "stepUpAgreed", target: "socialCare", actions: ["clearRequest", "rememberSocialCare"] },
          { guard: "deferred", target: "stepUpRequested" },
          { guard: "toFrontDoor", target: "frontDoor", actions: "clearRequest" },
          // Not agreed, or signposted elsewhere: early help (or volunteer support) carries on.
          {
            guard: { type: "stepUpDeclined", params: { returnTo: "volunteerSupport" } },
            target: "volunteerSupport",
            actions: "clearRequest",
          },
          {
            guard: { type: "stepUpDeclined", params: { returnTo: "earlyHelp" } },
            target: "earlyHelp",
            actions: "clearRequest",
          },
        ],
        WITHDRAW_REQUEST: [
          { guard: "returnsToVolunteers", target: "volunteerSupport", actions: "clearRequest" },
          { target: "earlyHelp", actions: "clearRequest" },
        ],
        REFER_TO_FRONT_DOOR: { target: "frontDoor", actions: "clearRequest" },
      },
    },
    socialCare: {
      on: {
        DECISION_CHANGED: [
          { guard: { type: "changedTo", params: { to: "earlyHelp" } }, target: "earlyHelp", actions: "rememberEarlyHelp" },
          { guard: { type: "changedTo", params: { to: "volunteerSupport" } }, target: "volunteerSupport", actions: "rememberVolunteers" },
        ],
        REQUEST_STEP_DOWN: [
          { guard: "immediateRisk", target: "frontDoor", actions: "clearRequest" },
          { guard: "stepDownComplete", target: "stepDownRequested", actions: ["rememberSocialCare", "openStepDown"] },
        ],
        REFER_TO_FRONT_DOOR: { target: "frontDoor" },
        CLOSE: { guard: "hasReason", target: "closed", actions: "recordClosure" },
      },
    },
    stepDownRequested: {
      on: {
        PANEL_DECISION: [
          { guard: "stepDownToEarlyHelp", target: "earlyHelp", actions: ["recordStepDown", "rememberEarlyHelp"] },
          {
            guard: "stepDownToVolunteers",
            target: "volunteerSupport",
            actions: ["recordStepDown", "rememberVolunteers"],
          },
          { guard: "deferred", target: "stepDownRequested" },
          { guard: "notAgreed", target: "socialCare", actions: "clearRequest" },
          // Signposted out of social care to universal services: the case ends here.
          { guard: "signposted", target: "closed", actions: ["recordStepDown", "recordClosure"] },
          { guard: "toFrontDoor", target: "frontDoor", actions: "clearRequest" },
        ],
        WITHDRAW_REQUEST: { target: "socialCare", actions: "clearRequest" },
        REFER_TO_FRONT_DOOR: { target: "frontDoor", actions: "clearRequest" },
      },
    },
    frontDoor: {
      on: {
        FRONT_DOOR_OUTCOME: [
          { guard: "frontDoorAccepted", target: "socialCare", actions: "rememberSocialCare" },
          { guard: "frontDoorToEarlyHelp", target: "earlyHelp", actions: "rememberEarlyHelp" },
        ],
        CLOSE: { guard: "hasReason", target: "closed", actions: "recordClosure" },
      },
    },
    closed: {
      on: {
        REOPEN: [
          { guard: "reopenToEarlyHelp", target: "earlyHelp", actions: ["clearClosure", "rememberEarlyHelp"] },
          { guard: "reopenToSocialCare", target: "socialCare", actions: ["clearClosure", "rememberSocialCare"] },
          { guard: "reopenToVolunteers", target: "volunteerSupport", actions: ["clearClosure", "rememberVolunteers"] },
        ],
      },
    },
  },
});
