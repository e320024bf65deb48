import type { Database } from "../connect";

/** Which secret an attempt guessed: each is throttled on its own. */
export type AttemptKind = "password" | "second_factor" | "current_password";

export function recordSignInAttempt(
  db: Database,
  attempt: { email: string; ip: string | null; succeeded: boolean; at: Date; kind?: AttemptKind },
) {
  return db
    .insertInto("sign_in_attempts")
    .values({ ...attempt, kind: attempt.kind ?? "password" })
    .execute();
}

/** Attempts at one account from one address (a null address is its own kind), at one kind of secret, oldest first. */
export function attemptsForEmailAndIpSince(db: Database, email: string, ip: string | null, since: Date, kind: AttemptKind = "password") {
  return db
    .selectFrom("sign_in_attempts")
    .select(["succeeded", "at"])
    .where("email", "=", email)
    .where("kind", "=", kind)
    .where((eb) => (ip === null ? eb("ip", "is", null) : eb("ip", "=", ip)))
    .where("at", ">=", since)
    .orderBy("at")
    .orderBy("id")
    .execute();
}

/** Failed attempts from one address (successes never count against anyone). */
export async function countAttemptsForIpSince(db: Database, ip: string, since: Date) {
  const row = await db
    .selectFrom("sign_in_attempts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("ip", "=", ip)
    .where("succeeded", "=", false)
    .where("at", ">=", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
