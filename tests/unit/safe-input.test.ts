import { describe, expect, it } from "vitest";
import { neutraliseCell, toCsv } from "../../app/lib/csv";
import { safeLink, sameOriginPath } from "../../app/lib/safe-link";
import { describeError } from "../../app/server/log";
import { panelInviteEmail } from "../../emails/panel-invite";

describe("links people type", () => {
  const hostile = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    " DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/meet",
    "meet.example.org/crewe",
    "https://",
    "https://meet.example.org/a b",
  ];

  it.each(hostile)("refuses %j", (value) => {
    expect(safeLink(value, { allowHttp: true })).toBeNull();
  });

  it("takes https: always and http: only where allowed (outside production)", () => {
    expect(safeLink("https://meet.example.org/crewe?pwd=1", { allowHttp: false })).toBe("https://meet.example.org/crewe?pwd=1");
    expect(safeLink(" https://meet.example.org/x ", { allowHttp: false })).toBe("https://meet.example.org/x");
    expect(safeLink("http://meet.example.org/x", { allowHttp: true })).toBe("http://meet.example.org/x");
    expect(safeLink("http://meet.example.org/x", { allowHttp: false })).toBeNull();
  });

  it("leaves a stored script link out of the invite email", () => {
    const email = panelInviteEmail({
      areaName: "Crewe",
      kind: "routine",
      startsAt: new Date("2026-12-09T10:00:00Z"),
      endsAt: new Date("2026-12-09T12:00:00Z"),
      venue: "Delamere House",
      meetingLink: "javascript:alert(1)",
      panelUrl: "https://threshold.example/panels/1",
      change: "new",
    });
    expect(`${email.text}${email.html}`).not.toContain("javascript:");
    expect(email.text).toContain("Where: Delamere House.");
  });
});

describe("where to go back to after signing in", () => {
  const origin = "https://threshold.example";
  it.each([
    ["/cases/TH-2026-000001", "/cases/TH-2026-000001"],
    ["/panels/3?item=4#decision", "/panels/3?item=4#decision"],
    ["https://other.example/", "/"],
    ["//other.example/", "/"],
    ["/\\other.example/", "/"],
    ["/\t/other.example/", "/"],
    ["/\r\n/other.example/", "/"],
    ["/\u000b/other.example/", "/"],
    ["/\u0000/other.example", "/"],
    ["/.//other.example/", "/"],
    ["javascript:alert(1)", "/"],
    ["", "/"],
    [null, "/"],
  ])("%j goes to %j", (value, expected) => {
    expect(sameOriginPath(value, origin)).toBe(expected);
  });
});

describe("CSV cells", () => {
  it("neutralises every cell a spreadsheet would run as a formula, and nothing else", () => {
    for (const formula of ['=HYPERLINK("https://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]) {
      expect(neutraliseCell(formula)).toBe(`'${formula}`);
    }
    expect(neutraliseCell("Chris Chair")).toBe("Chris Chair");
    expect(neutraliseCell(-3)).toBe(-3);
    const csv = toCsv(["risk_holder", "days_open"], [['=HYPERLINK("https://evil.example")', 4]]);
    expect(csv.split("\n")[1]).toBe(`"'=HYPERLINK(""https://evil.example"")",4`);
  });
});

describe("what is logged of an error", () => {
  it("names the class, code and place, never the message", () => {
    const error = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00 in "Jamie Example, 1 Test Street"'), {
      code: "22021",
    });
    const logged = JSON.stringify(describeError(error));
    expect(logged).toContain('"code":"22021"');
    expect(logged).toContain('"errorClass":"Error"');
    expect(logged).not.toContain("Jamie");
    expect(logged).not.toContain("Test Street");
    expect(logged).not.toContain("\n");
  });
});
