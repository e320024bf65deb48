import { describe, expect, it } from "vitest";
import { declineSchema, itemDecisionSchema } from "../../app/forms/panel";
import { stepDownSchema } from "../../app/forms/request";
import { fieldLabel, validate } from "../../app/lib/validation";

const TODAY = "2026-12-02";

describe("what a form says when an answer is wrong", () => {
  it("names the field in a length error, as GOV.UK asks", () => {
    const long = (n: number) => "x".repeat(n + 1);
    const decision = validate(itemDecisionSchema(TODAY), {
      itemId: "1",
      caseVersion: "1",
      outcome: "not_agreed",
      reasons: long(5000),
      discussion: long(5000),
      riskHolder: "other",
      riskHolderName: long(120),
    });
    expect(decision.ok).toBe(false);
    const errors = decision.ok ? {} : decision.errors;
    expect(errors.reasons).toBe("The reasons for the decision must be 5000 characters or fewer");
    expect(errors.discussion).toBe("The discussion must be 5000 characters or fewer");
    expect(errors.riskHolderName).toBe("The risk holder's name must be 120 characters or fewer");

    const declined = validate(declineSchema, { reason: long(1000) });
    expect(declined.ok ? null : declined.errors.reason).toBe("The reason must be 1000 characters or fewer");
    const stepDown = validate(stepDownSchema(TODAY), { outcomes: long(5000) });
    expect(stepDown.ok ? null : stepDown.errors.outcomes).toBe("The outcomes or goals must be 5000 characters or fewer");
  });

  it("says whose details are missing on a person field", () => {
    const decision = validate(itemDecisionSchema(TODAY), {
      itemId: "1",
      caseVersion: "1",
      outcome: "step_down_agreed_early_help",
      reasons: "Plan is working",
      riskHolder: "other",
      riskHolderName: "Sam Patel",
      leadPractitioner: "other",
    });
    const errors = decision.ok ? {} : decision.errors;
    expect(errors.riskHolderRole).toBe("Enter the risk holder's role, like family support worker");
    expect(errors.riskHolderAgency).toBe("Enter the risk holder's agency or team");
    expect(errors.leadPractitionerName).toBe("Enter the lead practitioner's full name");
  });

  it("lets a step down be not agreed whatever its proposed lead looks like, and accepts the proposed lead as written", () => {
    const base = { itemId: "1", caseVersion: "1", reasons: "Concerns remain", riskHolder: "7" };
    // Without JavaScript the lead fields are sent with every outcome: one nobody takes on ignores them.
    const notAgreed = validate(itemDecisionSchema(TODAY), {
      ...base,
      outcome: "not_agreed",
      leadPractitioner: "other",
      leadPractitionerName: "Early Help Team",
    });
    expect(notAgreed.ok ? notAgreed.data.leadChoice : notAgreed.errors).toBeNull();
    const agreed = validate(itemDecisionSchema(TODAY), {
      ...base,
      outcome: "step_down_agreed_early_help",
      leadPractitioner: "proposed",
      leadPractitionerProposed: "Early Help Team, locality hub",
      transferDay: "4",
      transferMonth: "12",
      transferYear: "2026",
    });
    expect(agreed.ok ? agreed.data.leadChoice : agreed.errors).toEqual({ proposed: "Early Help Team, locality hub" });
    // "As proposed" with nothing proposed is not a choice.
    const empty = validate(itemDecisionSchema(TODAY), { ...base, outcome: "step_up_agreed", leadPractitioner: "proposed" });
    expect(empty.ok ? null : empty.errors.leadPractitioner).toBe("Choose someone from the list");
  });

  it("reads a field's name from the message asking for it", () => {
    expect(fieldLabel("Enter the child's first name")).toBe("The child's first name");
    expect(fieldLabel("Describe what early help has tried")).toBe("What early help has tried");
    expect(fieldLabel("Enter why the panel is cancelled")).toBe("The reason");
  });
});
