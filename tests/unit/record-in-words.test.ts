import { describe, expect, it } from "vitest";
import { auditActionInWords, challengeEventInWords } from "../../app/lib/state-labels";

describe("the record in words", () => {
  it("says a challenge's history and the audit trail's actions without their codes", () => {
    expect(challengeEventInWords({ event: "START", from_status: null, to_status: "stage1" })).toBe("Raised");
    expect(challengeEventInWords({ event: "ESCALATE", from_status: "stage1", to_status: "stage2" })).not.toMatch(/stage\d/);
    expect(auditActionInWords("case.family_told_viewed")).toBe("Case: family told viewed");
    expect(auditActionInWords("panel.agenda_viewed")).toBe("Panel: agenda viewed");
  });
});
