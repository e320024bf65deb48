import { describe, expect, it } from "vitest";
import { censusItemFor, REFERRAL_SOURCES } from "../../app/lib/cin-census";
import { AGENCY_KINDS } from "../../app/lib/organisation";

describe("Children in Need census mapping", () => {
  it("an agreed step up is a referral with the requesting agency's source", () => {
    expect(censusItemFor({ kind: "step_up", outcome: "step_up_agreed", agencyKind: "education" })).toEqual({
      item: "referral",
      referralSource: { code: "2A", label: "Schools" },
      referralNfa: false,
      closureReason: null,
    });
    expect(censusItemFor({ kind: "step_up", outcome: "referred_to_front_door", agencyKind: "police" }).referralSource?.code).toBe("6");
  });

  it("a step up not agreed or signposted is a referral with no further action", () => {
    for (const outcome of ["not_agreed", "signposted"]) {
      const item = censusItemFor({ kind: "step_up", outcome, agencyKind: "health" });
      expect(item).toMatchObject({ item: "referral", referralNfa: true, referralSource: { code: "3F" } });
    }
  });

  it("an agreed step down closes the episode: early help RC9, volunteer support RC7", () => {
    expect(censusItemFor({ kind: "step_down", outcome: "step_down_agreed_early_help", agencyKind: "childrens_social_care" })).toEqual({
      item: "closure",
      referralSource: null,
      referralNfa: null,
      closureReason: { code: "RC9", label: "Case closed after assessment, referred to early help" },
    });
    expect(
      censusItemFor({ kind: "step_down", outcome: "step_down_agreed_volunteer_support", agencyKind: "childrens_social_care" }).closureReason
        ?.code,
    ).toBe("RC7");
  });

  it("a step down not agreed, or a deferral, is no census item", () => {
    expect(censusItemFor({ kind: "step_down", outcome: "not_agreed", agencyKind: "childrens_social_care" }).item).toBeNull();
    expect(censusItemFor({ kind: "step_up", outcome: "deferred", agencyKind: "education" }).item).toBeNull();
  });

  it("every kind of agency has a referral source", () => {
    for (const kind of AGENCY_KINDS) expect(REFERRAL_SOURCES[kind].code).toMatch(/^(\d+|\d[A-F])$/);
  });
});
