import { describe, expect, it } from "vitest";
import { DEFAULT_QUORUM, isQuorate, notRepresented, othersShort } from "../../app/lib/quorum";

const present = (agency_name: string, agency_kind: string, attendance: string | null = "in_person") => ({
  agency_name,
  agency_kind,
  attendance,
});

describe("a panel's quorum", () => {
  const core = [present("Children's Social Care", "childrens_social_care"), present("Early Help", "early_help", "online")];

  it("needs social care, early help and two other agencies by default", () => {
    expect(isQuorate(core, DEFAULT_QUORUM)).toBe(false);
    expect(othersShort(core, {}, DEFAULT_QUORUM)).toEqual({ needed: 2, present: 0 });
    const withSchool = [...core, present("Valley Primary School", "education")];
    expect(othersShort(withSchool, {}, DEFAULT_QUORUM)).toEqual({ needed: 2, present: 1 });
    // Two people from one agency are one agency.
    expect(othersShort([...withSchool, present("Valley Primary School", "education")], {}, DEFAULT_QUORUM)).toEqual({
      needed: 2,
      present: 1,
    });
    expect(isQuorate([...withSchool, present("Community Health Services", "health")], DEFAULT_QUORUM)).toBe(true);
  });

  it("counts only people present, and names a needed agency kind nobody represents", () => {
    const absent = [present("Children's Social Care", "childrens_social_care"), present("Early Help", "early_help", "apologies")];
    expect(notRepresented(absent, {}, DEFAULT_QUORUM)).toEqual([{ kind: "early_help", label: "early help" }]);
    // A reason for going ahead clears the warning, but the panel is still not quorate.
    expect(notRepresented(absent, { early_help: "A written view for each item" }, DEFAULT_QUORUM)).toEqual([]);
    expect(othersShort(absent, { others: "Police sent written views" }, DEFAULT_QUORUM)).toBeNull();
    expect(isQuorate(absent, DEFAULT_QUORUM)).toBe(false);
  });

  it("follows the area's own terms of reference", () => {
    const policeAndHealth = { kinds: ["childrens_social_care", "police"] as const, others: 0 };
    expect(notRepresented(core, {}, policeAndHealth)).toEqual([{ kind: "police", label: "police" }]);
    expect(isQuorate([...core, present("Cheshire Police", "police")], policeAndHealth)).toBe(true);
  });
});
