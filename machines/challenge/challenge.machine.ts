import { assign, setup, transition } from "xstate";

/**
 * A professional challenge to a panel decision, escalated in timed stages.
 * Pure: deadlines are worked out by the service (working days) and arrive in
 * events; the machine never reads a clock.
 */

export const CHALLENGE_MACHINE_VERSION = 1;

export const CHALLENGE_STATES = [
  "raised",
  "stage1",
  "stage2",
  "stage3",
  "stage4",
  "stage5",
  "resolved",
  "withdrawn",
  "front_door",
] as const;
export type ChallengeState = (typeof CHALLENGE_STATES)[number];
export const STAGES = ["stage1", "stage2", "stage3", "stage4", "stage5"] as const;
export type Stage = (typeof STAGES)[number];

export const CHALLENGE_CATEGORIES = ["threshold", "risk", "information", "capacity", "other"] as const;
export type ChallengeCategory = (typeof CHALLENGE_CATEGORIES)[number];

export const RESOLUTIONS = ["decision_upheld", "decision_changed", "agreed_alternative"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export interface ChallengeContext {
  stage: number;
  /** ISO instant the current stage must respond by. */
  deadline: string | null;
  overdue: boolean;
  resolution: Resolution | null;
  closedReason: string | null;
}

export type ChallengeEvent =
  | { type: "START"; at: string; deadline: string }
  | { type: "ESCALATE"; at: string; reason: string; deadline: string }
  | { type: "DEADLINE_PASSED"; at: string; stage: number }
  | { type: "RESOLVE"; at: string; resolution: Resolution; reason: string }
  | { type: "WITHDRAW"; at: string; reason: string }
  | { type: "IMMEDIATE_RISK"; at: string };

const atEveryStage = {
  DEADLINE_PASSED: { guard: "deadlineOfThisStage", actions: "markOverdue" },
  RESOLVE: { guard: "hasReason", target: "resolved", actions: "recordResolution" },
  WITHDRAW: { guard: "hasReason", target: "withdrawn", actions: "recordClose" },
  IMMEDIATE_RISK: { target: "front_door" },
} as const;
const escalateTo = <T extends Stage>(next: T) => ({ ESCALATE: { guard: "hasReason", target: next, actions: "enterStage" } }) as const;

export const challengeMachine = setup({
  types: { context: {} as ChallengeContext, events: {} as ChallengeEvent },
  guards: {
    hasReason: ({ event }) => "reason" in event && event.reason.trim().length > 0,
    // A timer set for an earlier stage that fires late changes nothing.
    deadlineOfThisStage: ({ context, event }) => event.type === "DEADLINE_PASSED" && event.stage === context.stage && !context.overdue,
  },
  actions: {
    enterStage: assign({
      stage: ({ context }) => context.stage + 1,
      deadline: ({ event }) => ("deadline" in event ? event.deadline : null),
      overdue: false,
    }),
    markOverdue: assign({ overdue: true }),
    recordResolution: assign({
      resolution: ({ event }) => (event.type === "RESOLVE" ? event.resolution : null),
      closedReason: ({ event }) => ("reason" in event ? event.reason.trim() : null),
      deadline: null,
    }),
    recordClose: assign({ closedReason: ({ event }) => ("reason" in event ? event.reason.trim() : null), deadline: null }),
  },
}).createMachine({
  id: "challenge",
  context: { stage: 0, deadline: null, overdue: false, resolution: null, closedReason: null },
  initial: "raised",
  states: {
    raised: {
      on: {
        START: { target: "stage1", actions: "enterStage" },
        WITHDRAW: { guard: "hasReason", target: "withdrawn", actions: "recordClose" },
        IMMEDIATE_RISK: { target: "front_door" },
      },
    },
    stage1: { on: { ...atEveryStage, ...escalateTo("stage2") } },
    stage2: { on: { ...atEveryStage, ...escalateTo("stage3") } },
    stage3: { on: { ...atEveryStage, ...escalateTo("stage4") } },
    stage4: { on: { ...atEveryStage, ...escalateTo("stage5") } },
    // The last stage: there is nowhere further to escalate.
    stage5: { on: atEveryStage },
    resolved: { type: "final" },
    withdrawn: { type: "final" },
    // Immediate risk: the child goes to the front door at once; the disagreement waits.
    front_door: { type: "final" },
  },
});

export interface PersistedChallenge {
  version: number;
  value: ChallengeState;
  context: ChallengeContext;
}

export const INITIAL_CHALLENGE: PersistedChallenge = {
  version: CHALLENGE_MACHINE_VERSION,
  value: "raised",
  context: { stage: 0, deadline: null, overdue: false, resolution: null, closedReason: null },
};

export type ChallengeStep =
  { ok: true; from: ChallengeState; to: ChallengeState; challenge: PersistedChallenge } | { ok: false; from: ChallengeState };

export function applyChallengeEvent(saved: PersistedChallenge, event: ChallengeEvent): ChallengeStep {
  const snapshot = challengeMachine.resolveState({ value: saved.value, context: saved.context });
  const from = snapshot.value as ChallengeState;
  if (!snapshot.can(event)) return { ok: false, from };
  const [next] = transition(challengeMachine, snapshot, event);
  return {
    ok: true,
    from,
    to: next.value as ChallengeState,
    challenge: { version: CHALLENGE_MACHINE_VERSION, value: next.value as ChallengeState, context: next.context },
  };
}

export const isOpen = (state: ChallengeState) => state === "raised" || (STAGES as readonly string[]).includes(state);
