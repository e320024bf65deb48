import { addWorkingDays } from "./working-days";

/** Working days each stage has to respond: stage 1 to stage 5. Configurable with CHALLENGE_STAGE_DAYS. */
export const DEFAULT_STAGE_DAYS = [2, 3, 5, 5, 10] as const;

export function stageDays(env: string | undefined): number[] {
  if (!env) return [...DEFAULT_STAGE_DAYS];
  const days = env.split(",").map((d) => Number(d.trim()));
  if (days.length !== 5 || days.some((d) => !Number.isInteger(d) || d < 1 || d > 60)) {
    throw new Error("CHALLENGE_STAGE_DAYS must be five whole numbers of working days, like 2,3,5,5,10");
  }
  return days;
}

/** When a stage entered at `from` must have responded: its working days later, at the same UK time. */
export function stageDeadline(from: Date, stage: number, days: readonly number[] = DEFAULT_STAGE_DAYS): Date {
  return addWorkingDays(from, days[stage - 1]);
}
