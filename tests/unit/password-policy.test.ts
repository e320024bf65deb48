import { describe, expect, it } from "vitest";
import { passwordProblem } from "../../app/services/password-policy.server";

describe("the password policy", () => {
  const rita = { name: "Rita Referrer", email: "rita.referrer@example.org" };

  it("takes a long passphrase, up to 200 characters", () => {
    expect(passwordProblem("correct horse battery staple", rita)).toBeNull();
    expect(passwordProblem("x".repeat(63) + "Ω".repeat(20), rita)).toBeNull();
    expect(passwordProblem("a".repeat(201), rita)).toBe("Your password must be 200 characters or fewer");
  });

  it("refuses fewer than 12 characters", () => {
    expect(passwordProblem("tr0ub4dor&3", rita)).toBe("Your password must be at least 12 characters");
  });

  it("refuses common and breached passwords, however they are cased or punctuated", () => {
    // From the list, then with case, punctuation or a number on the end changed.
    for (const common of ["1qaz2wsx3edc", "QWERTY123456", "Leave-Me-Alone", "leavemealone2026", "qazwsxedcrfv"]) {
      expect(passwordProblem(common, rita), common).toMatch(/too common/);
    }
  });

  it("refuses a password made from the person's name or email address", () => {
    expect(passwordProblem("Referrer-2026-spring", rita)).toBe("Your password must not contain your name or email address");
    expect(passwordProblem("rita.referrer!!", rita)).toBe("Your password must not contain your name or email address");
  });
});
