/** How a request's kind reads in the app's sentences: one place for the wording. */
export type RequestKind = "step_up" | "step_down";

/** "step up" / "step down" (a noun: "a step up", "Step up agreed"). */
export function kindName(kind: RequestKind, options: { capital?: boolean } = {}): string {
  const name = kind === "step_up" ? "step up" : "step down";
  return options.capital ? capitalise(name) : name;
}

/** "step-up" / "step-down" (before a noun: "a step-up request"). */
export function kindAdjective(kind: RequestKind, options: { capital?: boolean } = {}): string {
  const name = kind === "step_up" ? "step-up" : "step-down";
  return options.capital ? capitalise(name) : name;
}

function capitalise(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
