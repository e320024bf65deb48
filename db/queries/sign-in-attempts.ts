import type { Database } from "../connect";

export function recordSignInAttempt(db: Database, attempt: { email: string; ip: string | null; succeeded: boolean; at: Date }) {
  return db.insertInto("sign_in_attempts").values(attempt).execute();
}

/** Attempts for one email since a moment, oldest first. */
/** Attempts at one account from one address (a null address is its own kind). */
export function attemptsForEmailAndIpSince(db: Database, email: string, ip: string | null, since: Date) {
  return db
    .selectFrom("sign_in_attempts")
    .select(["succeeded", "at"])
    .where("email", "=", email)
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
