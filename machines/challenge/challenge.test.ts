import { describe, expect, it } from "vitest";
import {
  applyChallengeEvent,
  CHALLENGE_STATES,
  INITIAL_CHALLENGE,
  type ChallengeEvent,
  type ChallengeState,
  type PersistedChallenge,
} from "./challenge.machine";

const at = "2026-12-10T10:00:00.000Z";
const deadline = "2026-12-14T10:00:00.000Z";

function challengeIn(state: ChallengeState, stage = 0, overdue = false): PersistedChallenge {
  return { ...INITIAL_CHALLENGE, value: state, context: { ...INITIAL_CHALLENGE.context, stage, overdue } };
}

const stageNumber = (state: ChallengeState) => (state.startsWith("stage") ? Number(state.slice(5)) : 0);

const EVENTS: Record<string, ChallengeEvent> = {
  start: { type: "START", at, deadline },
  escalate: { type: "ESCALATE", at, reason: "No reply from the team manager", deadline },
  "escalate without a reason": { type: "ESCALATE", at, reason: "  ", deadline },
  "resolve: upheld": { type: "RESOLVE", at, resolution: "decision_upheld", reason: "Threshold not met" },
  "resolve: changed": { type: "RESOLVE", at, resolution: "decision_changed", reason: "New information" },
  "resolve: alternative": { type: "RESOLVE", at, resolution: "agreed_alternative", reason: "Joint visit agreed" },
  "resolve without a reason": { type: "RESOLVE", at, resolution: "decision_upheld", reason: "" },
  withdraw: { type: "WITHDRAW", at, reason: "Agreed after discussion" },
  "immediate risk": { type: "IMMEDIATE_RISK", at },
};

const open = (next: ChallengeState | null): Record<string, ChallengeState> => ({
  ...(next ? { escalate: next } : {}),
  "resolve: upheld": "resolved",
  "resolve: changed": "resolved",
  "resolve: alternative": "resolved",
  withdraw: "withdrawn",
  "immediate risk": "front_door",
});

// Every state × every event; a pair not listed must be refused.
const TABLE: Record<ChallengeState, Record<string, ChallengeState>> = {
  raised: { start: "stage1", withdraw: "withdrawn", "immediate risk": "front_door" },
  stage1: open("stage2"),
  stage2: open("stage3"),
  stage3: open("stage4"),
  stage4: open("stage5"),
  stage5: open(null),
  resolved: {},
  withdrawn: {},
  front_door: {},
};

describe("the challenge machine", () => {
  for (const state of CHALLENGE_STATES) {
    for (const [name, event] of Object.entries(EVENTS)) {
      const expected = TABLE[state][name];
      it(`${state} + ${name} → ${expected ?? "refused"}`, () => {
        const step = applyChallengeEvent(challengeIn(state, stageNumber(state)), event);
        if (expected) expect(step).toMatchObject({ ok: true, from: state, to: expected });
        else expect(step).toEqual({ ok: false, from: state });
      });
    }
  }

  it("counts stages and carries each stage's deadline", () => {
    let c = INITIAL_CHALLENGE;
    for (const event of [EVENTS.start, EVENTS.escalate, EVENTS.escalate]) {
      const step = applyChallengeEvent(c, event);
      if (!step.ok) throw new Error("refused");
      c = step.challenge;
    }
    expect(c.value).toBe("stage3");
    expect(c.context).toMatchObject({ stage: 3, deadline, overdue: false });
  });

  it("marks the current stage overdue once, and ignores a late timer from an earlier stage", () => {
    const stage2 = challengeIn("stage2", 2);
    const passed = applyChallengeEvent(stage2, { type: "DEADLINE_PASSED", at, stage: 2 });
    expect(passed).toMatchObject({ ok: true, to: "stage2", challenge: { context: { overdue: true } } });
    if (!passed.ok) return;
    expect(applyChallengeEvent(passed.challenge, { type: "DEADLINE_PASSED", at, stage: 2 }).ok).toBe(false);
    expect(applyChallengeEvent(stage2, { type: "DEADLINE_PASSED", at, stage: 1 }).ok).toBe(false);
    // Escalating starts the next stage's clock afresh.
    const escalated = applyChallengeEvent(passed.challenge, EVENTS.escalate);
    expect(escalated).toMatchObject({ ok: true, to: "stage3", challenge: { context: { overdue: false, stage: 3 } } });
  });

  it("records how a challenge was resolved and why", () => {
    const step = applyChallengeEvent(challengeIn("stage1", 1), EVENTS["resolve: changed"]);
    expect(step).toMatchObject({
      ok: true,
      challenge: { context: { resolution: "decision_changed", closedReason: "New information", deadline: null } },
    });
  });
});
