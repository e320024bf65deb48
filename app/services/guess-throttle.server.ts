import { attemptsForEmailAndIpSince, recordSignInAttempt, type AttemptKind } from "../../db/queries/sign-in-attempts";
import type { Database } from "../../db/connect";
import { MINUTE } from "../lib/clock";

/*
 * Guessing a secret (a password at sign-in, a second-factor code, the current
 * password when changing it) is slowed per account and address, across every
 * session: signing in again never buys fresh guesses.
 */

/** Failures from one address at one account before each further try must wait. */
export const THROTTLE_FREE_FAILURES = 3;
/** The first wait; each further failure doubles it, up to the longest. */
export const THROTTLE_FIRST_DELAY_MS = 10_000;
export const THROTTLE_LONGEST_DELAY_MS = 15 * MINUTE;
/** Failures older than this (or before a success) are forgotten. */
export const THROTTLE_MEMORY_MS = 60 * MINUTE;

/**
 * When the next try at an account from an address may be made. After three
 * failures in a row (no success between, within the hour), each try waits
 * 10 s, then 20 s, 40 s… up to 15 minutes after the last failure. The wait is
 * per account and address, so a stranger elsewhere can never lock a named
 * person out; attempts made while waiting are not counted.
 */
export function throttledUntil(attempts: Array<{ succeeded: boolean; at: Date }>, now: Date): Date | null {
  let failures: Date[] = [];
  for (const attempt of attempts) failures = attempt.succeeded ? [] : [...failures, attempt.at];
  if (failures.length < THROTTLE_FREE_FAILURES) return null;
  const delay = Math.min(THROTTLE_FIRST_DELAY_MS * 2 ** (failures.length - THROTTLE_FREE_FAILURES), THROTTLE_LONGEST_DELAY_MS);
  const until = new Date(failures[failures.length - 1].getTime() + delay);
  return until > now ? until : null;
}

export interface Guesser {
  email: string;
  ip: string | null;
  kind: AttemptKind;
}

/** The recent guesses at this secret from this address, oldest first. */
export function recentGuesses(db: Database, who: Guesser, now: Date) {
  return attemptsForEmailAndIpSince(db, who.email.trim().toLowerCase(), who.ip, new Date(now.getTime() - THROTTLE_MEMORY_MS), who.kind);
}

/** Until when this person, from this address, must wait before guessing this secret again; null when they need not. */
export async function mustWaitUntil(db: Database, who: Guesser, now: Date): Promise<Date | null> {
  return throttledUntil(await recentGuesses(db, who, now), now);
}

/** Counts one guess (a success forgets the failures before it). */
export function recordGuess(db: Database, who: Guesser, succeeded: boolean, at: Date) {
  return recordSignInAttempt(db, { email: who.email.trim().toLowerCase(), ip: who.ip, succeeded, at, kind: who.kind });
}

/** "30 seconds" or "4 minutes": how long someone waits, in words. */
export function waitInWords(until: Date, now: Date): string {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}
