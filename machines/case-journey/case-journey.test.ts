import { describe, expect, it } from "vitest";
import { CASE_STATES, caseJourneyMachine, type CaseJourneyContext, type CaseJourneyEvent, type CaseState } from "./case-journey.machine";
import { applyJourneyEvent, outcomesIn, restore, startJourney, upgradeJourney, type PersistedJourney } from "./journey";

const at = "2026-11-23T10:00:00.000Z";

function journeyIn(state: CaseState, context: Partial<CaseJourneyContext> = {}): PersistedJourney {
  const defaults: Record<CaseState, Partial<CaseJourneyContext>> = {
    early_help: { returnTo: "early_help" },
    step_up_requested: { returnTo: "early_help", openRequest: { kind: "step_up", target: "social_care" } },
    social_care: { returnTo: "social_care" },
    step_down_requested: { returnTo: "social_care", openRequest: { kind: "step_down", target: "early_help" } },
    volunteer_support: { returnTo: "volunteer_support" },
    front_door: {},
    closed: { closedReason: "Needs met" },
  };
  return {
    version: 1,
    value: state,
    context: {
      returnTo: null,
      openRequest: null,
      lastSteppedDownAt: null,
      closedReason: null,
      ...defaults[state],
      ...context,
    },
  };
}

const stepDown = (over: Partial<Extract<CaseJourneyEvent, { type: "REQUEST_STEP_DOWN" }>> = {}): CaseJourneyEvent => ({
  type: "REQUEST_STEP_DOWN",
  at,
  immediateRisk: false,
  target: "early_help",
  familyConsent: true,
  outcomes: ["Attendance above 90%"],
  proposedLead: "Early Help Team North",
  ...over,
});

const decision = (outcome: Extract<CaseJourneyEvent, { type: "PANEL_DECISION" }>["outcome"]): CaseJourneyEvent => ({
  type: "PANEL_DECISION",
  at,
  outcome,
});

const EVENTS: Record<string, CaseJourneyEvent> = {
  "request step up": { type: "REQUEST_STEP_UP", at, immediateRisk: false },
  "request step up (immediate risk)": { type: "REQUEST_STEP_UP", at, immediateRisk: true },
  "request step down to early help": stepDown(),
  "request step down to volunteer support": stepDown({ target: "volunteer_support" }),
  "request step down (immediate risk)": stepDown({ immediateRisk: true }),
  "decision: step up agreed": decision("step_up_agreed"),
  "decision: step down to early help": decision("step_down_agreed_early_help"),
  "decision: step down to volunteer support": decision("step_down_agreed_volunteer_support"),
  "decision: not agreed": decision("not_agreed"),
  "decision: deferred": decision("deferred"),
  "decision: signposted": decision("signposted"),
  "decision: front door": decision("referred_to_front_door"),
  withdraw: { type: "WITHDRAW_REQUEST", at },
  "refer to front door": { type: "REFER_TO_FRONT_DOOR", at },
  "front door accepts": { type: "FRONT_DOOR_OUTCOME", at, to: "social_care" },
  "front door to early help": { type: "FRONT_DOOR_OUTCOME", at, to: "early_help" },
  close: { type: "CLOSE", at, reason: "Needs met" },
  "reopen to early help": { type: "REOPEN", at, to: "early_help" },
  "reopen to social care": { type: "REOPEN", at, to: "social_care" },
  "challenge changes decision to early help": { type: "DECISION_CHANGED", at, to: "early_help" },
  "challenge changes decision to social care": { type: "DECISION_CHANGED", at, to: "social_care" },
  "challenge changes decision to volunteer support": { type: "DECISION_CHANGED", at, to: "volunteer_support" },
};

// Every state × every event. A pair not listed for a state must be refused.
const TABLE: Record<CaseState, Record<string, CaseState>> = {
  early_help: {
    "challenge changes decision to social care": "social_care",
    "challenge changes decision to volunteer support": "volunteer_support",
    "request step up": "step_up_requested",
    "request step up (immediate risk)": "front_door",
    "refer to front door": "front_door",
    close: "closed",
  },
  step_up_requested: {
    "decision: step up agreed": "social_care",
    "decision: not agreed": "early_help",
    "decision: deferred": "step_up_requested",
    "decision: signposted": "early_help",
    "decision: front door": "front_door",
    withdraw: "early_help",
    "refer to front door": "front_door",
  },
  social_care: {
    "challenge changes decision to early help": "early_help",
    "challenge changes decision to volunteer support": "volunteer_support",
    "request step down to early help": "step_down_requested",
    "request step down to volunteer support": "step_down_requested",
    "request step down (immediate risk)": "front_door",
    "refer to front door": "front_door",
    close: "closed",
  },
  step_down_requested: {
    "decision: step down to early help": "early_help",
    "decision: step down to volunteer support": "volunteer_support",
    "decision: not agreed": "social_care",
    "decision: deferred": "step_down_requested",
    "decision: signposted": "closed",
    "decision: front door": "front_door",
    withdraw: "social_care",
    "refer to front door": "front_door",
  },
  volunteer_support: {
    "challenge changes decision to early help": "early_help",
    "challenge changes decision to social care": "social_care",
    "request step up": "step_up_requested",
    "request step up (immediate risk)": "front_door",
    "refer to front door": "front_door",
    close: "closed",
  },
  front_door: {
    "front door accepts": "social_care",
    "front door to early help": "early_help",
    close: "closed",
  },
  closed: {
    "reopen to early help": "early_help",
    "reopen to social care": "social_care",
  },
};

describe("the case journey machine", () => {
  for (const state of CASE_STATES) {
    for (const [name, event] of Object.entries(EVENTS)) {
      const expected = TABLE[state][name];
      it(`${state} + ${name} → ${expected ?? "refused"}`, () => {
        const step = applyJourneyEvent(journeyIn(state), event);
        if (expected) {
          expect(step).toMatchObject({ ok: true, from: state, to: expected });
        } else {
          expect(step).toEqual({ ok: false, from: state });
        }
      });
    }
  }

  it("starts where the family is supported now", () => {
    expect(startJourney("early_help").value).toBe("early_help");
    expect(startJourney("social_care").value).toBe("social_care");
    expect(startJourney("volunteer_support").value).toBe("volunteer_support");
  });

  it("returns a step up from volunteer support to volunteer support when not agreed or withdrawn", () => {
    const requested = applyJourneyEvent(journeyIn("volunteer_support"), EVENTS["request step up"]);
    if (!requested.ok) throw new Error("refused");
    expect(applyJourneyEvent(requested.journey, decision("not_agreed"))).toMatchObject({ to: "volunteer_support" });
    expect(applyJourneyEvent(requested.journey, { type: "WITHDRAW_REQUEST", at })).toMatchObject({
      to: "volunteer_support",
    });
  });

  describe("step-down guards", () => {
    it("refuses a step down to early help or volunteer support without the family's consent", () => {
      expect(applyJourneyEvent(journeyIn("social_care"), stepDown({ familyConsent: false })).ok).toBe(false);
      expect(applyJourneyEvent(journeyIn("social_care"), stepDown({ familyConsent: false, target: "volunteer_support" })).ok).toBe(false);
    });

    it("allows a step down to universal services without consent, as it asks nothing of the family", () => {
      expect(applyJourneyEvent(journeyIn("social_care"), stepDown({ familyConsent: false, target: "universal" })).ok).toBe(true);
    });

    it("refuses a step down with no outcomes, or only blank ones", () => {
      expect(applyJourneyEvent(journeyIn("social_care"), stepDown({ outcomes: [] })).ok).toBe(false);
      expect(applyJourneyEvent(journeyIn("social_care"), stepDown({ outcomes: ["  "] })).ok).toBe(false);
    });

    it("refuses a step down with no proposed lead practitioner or service", () => {
      expect(applyJourneyEvent(journeyIn("social_care"), stepDown({ proposedLead: null })).ok).toBe(false);
      expect(applyJourneyEvent(journeyIn("social_care"), stepDown({ proposedLead: " " })).ok).toBe(false);
    });

    it("sends an immediate-risk step down to the front door even when the request is incomplete", () => {
      expect(
        applyJourneyEvent(journeyIn("social_care"), stepDown({ immediateRisk: true, familyConsent: false, outcomes: [] })),
      ).toMatchObject({ ok: true, to: "front_door" });
    });
  });

  it("holds only one open request: a second request is refused while one is open", () => {
    expect(applyJourneyEvent(journeyIn("step_up_requested"), EVENTS["request step up"]).ok).toBe(false);
    expect(applyJourneyEvent(journeyIn("step_down_requested"), stepDown()).ok).toBe(false);
  });

  it("refuses to close without a reason, and keeps the reason it is given", () => {
    expect(applyJourneyEvent(journeyIn("early_help"), { type: "CLOSE", at, reason: "   " }).ok).toBe(false);
    const closed = applyJourneyEvent(journeyIn("early_help"), { type: "CLOSE", at, reason: " Needs met " });
    expect(closed.ok && closed.journey.context.closedReason).toBe("Needs met");
  });

  it("records when a case was stepped down, for the bounce-back flag", () => {
    const step = applyJourneyEvent(journeyIn("step_down_requested"), decision("step_down_agreed_early_help"));
    expect(step.ok && step.journey.context.lastSteppedDownAt).toBe(at);
    expect(step.ok && step.journey.context.openRequest).toBeNull();
  });

  it("tracks the open request while it is open", () => {
    const step = applyJourneyEvent(journeyIn("social_care"), stepDown({ target: "volunteer_support" }));
    expect(step.ok && step.journey.context.openRequest).toEqual({ kind: "step_down", target: "volunteer_support" });
  });

  it("loads a saved snapshot and refuses one from a newer machine than this code", () => {
    const saved = journeyIn("social_care");
    expect(restore(saved).value).toBe("social_care");
    expect(upgradeJourney(saved).version).toBe(1);
    expect(() => upgradeJourney({ ...saved, version: 99 })).toThrow(/newer/);
  });

  it("is pure: the same snapshot and event always give the same result", () => {
    const a = applyJourneyEvent(journeyIn("social_care"), stepDown());
    const b = applyJourneyEvent(journeyIn("social_care"), stepDown());
    expect(a).toEqual(b);
    expect(caseJourneyMachine.id).toBe("caseJourney");
  });
});

describe("the decisions a panel is offered", () => {
  it("offers a step up's outcomes for a step-up request and a step down's for a step-down one, and none when no request is open", () => {
    expect(outcomesIn("step_up_requested")).toEqual(["step_up_agreed", "not_agreed", "deferred", "referred_to_front_door", "signposted"]);
    expect(outcomesIn("step_down_requested")).toEqual([
      "step_down_agreed_early_help",
      "step_down_agreed_volunteer_support",
      "not_agreed",
      "deferred",
      "referred_to_front_door",
      "signposted",
    ]);
    expect(outcomesIn("social_care")).toEqual([]);
  });
});
