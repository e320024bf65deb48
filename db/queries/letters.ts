import type { Database } from "../connect";

/** The administrators' wording, outcome by outcome (an outcome with no row uses the standard wording). */
export function listLetterTemplates(db: Database) {
  return db.selectFrom("letter_templates").select(["outcome", "body", "updated_at"]).execute();
}

export function findLetterTemplate(db: Database, outcome: string) {
  return db.selectFrom("letter_templates").select("body").where("outcome", "=", outcome).executeTakeFirst();
}

export function saveLetterTemplate(db: Database, row: { outcome: string; body: string; by: number; at: Date }) {
  return db
    .insertInto("letter_templates")
    .values({ outcome: row.outcome, body: row.body, updated_by_user_id: row.by, updated_at: row.at })
    .onConflict((oc) => oc.column("outcome").doUpdateSet({ body: row.body, updated_by_user_id: row.by, updated_at: row.at }))
    .execute();
}

/** The letters written for a case, newest first, with who wrote and reviewed each. */
export function listFamilyLetters(db: Database, caseId: number) {
  return db
    .selectFrom("family_letters")
    .innerJoin("users as writer", "writer.id", "family_letters.written_by_user_id")
    .leftJoin("users as reviewer", "reviewer.id", "family_letters.reviewed_by_user_id")
    .select([
      "family_letters.id",
      "family_letters.decision_id",
      "family_letters.body",
      "family_letters.written_by_user_id",
      "family_letters.written_at",
      "family_letters.reviewed_at",
      "writer.name as written_by",
      "reviewer.name as reviewed_by",
    ])
    .where("family_letters.case_id", "=", caseId)
    .orderBy("family_letters.id", "desc")
    .execute();
}

export type FamilyLetterRow = Awaited<ReturnType<typeof listFamilyLetters>>[number];

export function insertFamilyLetter(db: Database, row: { caseId: number; decisionId: number; body: string; by: number; at: Date }) {
  return db
    .insertInto("family_letters")
    .values({ case_id: row.caseId, decision_id: row.decisionId, body: row.body, written_by_user_id: row.by, written_at: row.at })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/** Rewrites a letter not yet reviewed; a reviewed letter stays as it was printed. Returns whether it changed. */
export async function rewriteFamilyLetter(db: Database, id: number, row: { body: string; by: number; at: Date }) {
  const result = await db
    .updateTable("family_letters")
    .set({ body: row.body, written_by_user_id: row.by, written_at: row.at })
    .where("id", "=", id)
    .where("reviewed_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Marks a letter reviewed by someone other than its writer. Returns whether it was. */
export async function markFamilyLetterReviewed(db: Database, id: number, row: { by: number; at: Date }) {
  const result = await db
    .updateTable("family_letters")
    .set({ reviewed_by_user_id: row.by, reviewed_at: row.at })
    .where("id", "=", id)
    .where("reviewed_at", "is", null)
    .where("written_by_user_id", "<>", row.by)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
