import type { Database } from "../connect";

export function insertPasswordToken(db: Database, t: { id: string; userId: number; at: Date; expiresAt: Date }) {
  return db.insertInto("password_tokens").values({ id: t.id, user_id: t.userId, created_at: t.at, expires_at: t.expiresAt }).execute();
}

/** A token that is unused and unexpired, with its active user. */
export function findUsablePasswordToken(db: Database, id: string, now: Date) {
  return db
    .selectFrom("password_tokens")
    .innerJoin("users", "users.id", "password_tokens.user_id")
    .select(["password_tokens.id", "password_tokens.user_id", "users.email", "users.name"])
    .where("password_tokens.id", "=", id)
    .where("password_tokens.used_at", "is", null)
    .where("password_tokens.expires_at", ">", now)
    .where("users.active", "=", true)
    .executeTakeFirst();
}

export async function usePasswordToken(db: Database, id: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable("password_tokens")
    .set({ used_at: at })
    .where("id", "=", id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
