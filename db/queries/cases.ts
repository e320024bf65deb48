import { sql } from "kysely";
import type { Database } from "../connect";
import type { CaseStatus } from "../schema";
import { caseRelatedTo, caseVisibleTo, type Viewer } from "./case-visibility";

export { caseVisibleTo, type Viewer } from "./case-visibility";

export async function nextCaseReference(db: Database, year: number): Promise<string> {
  const row = await sql<{ n: number }>`select nextval('case_reference_seq')::int as n`.execute(db);
  return `TH-${year}-${String(row.rows[0].n).padStart(6, "0")}`;
}

export function insertCase(
  db: Database,
  values: {
    reference: string;
    areaId: number;
    status: CaseStatus;
    journey: unknown;
    machineVersion: number;
    createdBy: number;
    at: Date;
  },
) {
  return db
    .insertInto("cases")
    .values({
      reference: values.reference,
      area_id: values.areaId,
      status: values.status,
      journey: JSON.stringify(values.journey),
      machine_version: values.machineVersion,
      created_by_user_id: values.createdBy,
      created_at: values.at,
      updated_at: values.at,
    })
    .returning(["id", "reference", "version"])
    .executeTakeFirstOrThrow();
}

const caseColumns = [
  "cases.id",
  "cases.reference",
  "cases.area_id",
  "cases.status",
  "cases.journey",
  "cases.machine_version",
  "cases.version",
  "cases.child_first_name",
  "cases.nhs_number",
  "cases.case_system_id",
  "cases.child_last_name",
  "cases.child_date_of_birth",
  "cases.child_address",
  "cases.siblings",
  "cases.lead_practitioner",
  "cases.risk_holder",
  "cases.last_stepped_down_at",
  "cases.created_by_user_id",
  "cases.created_at",
  "cases.updated_at",
] as const;

export function findVisibleCaseByReference(db: Database, viewer: Viewer, reference: string) {
  return db
    .selectFrom("cases")
    .innerJoin("areas", "areas.id", "cases.area_id")
    .select([...caseColumns, "areas.name as area_name"])
    .where("cases.reference", "=", reference)
    .where(caseVisibleTo(viewer))
    .executeTakeFirst();
}

/** Locks the row for the rest of the transaction, so the version check and the write are one step. */
export function lockCase(db: Database, id: number) {
  return db.selectFrom("cases").select(caseColumns).where("id", "=", id).forUpdate().executeTakeFirst();
}

/**
 * Writes the case only if nobody changed it since `expectedVersion` was read.
 * Returns false when someone else won.
 */
export async function updateCaseIfUnchanged(
  db: Database,
  id: number,
  expectedVersion: number,
  changes: {
    status: CaseStatus;
    journey: unknown;
    machineVersion: number;
    at: Date;
    lastSteppedDownAt?: Date | null;
    riskHolder?: string | null;
    leadPractitioner?: string | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable("cases")
    .set({
      status: changes.status,
      journey: JSON.stringify(changes.journey),
      machine_version: changes.machineVersion,
      updated_at: changes.at,
      version: sql`version + 1`,
      ...(changes.lastSteppedDownAt !== undefined ? { last_stepped_down_at: changes.lastSteppedDownAt } : {}),
      ...(changes.riskHolder !== undefined ? { risk_holder: changes.riskHolder } : {}),
      ...(changes.leadPractitioner !== undefined ? { lead_practitioner: changes.leadPractitioner } : {}),
    })
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function updateCaseDetails(
  db: Database,
  id: number,
  details: {
    firstName: string;
    lastName: string;
    dateOfBirth: string | null;
    address: string | null;
    siblings: string | null;
    nhsNumber?: string | null;
    caseSystemId?: string | null;
    leadPractitioner?: string | null;
  },
) {
  return db
    .updateTable("cases")
    .set({
      child_first_name: details.firstName,
      child_last_name: details.lastName,
      child_date_of_birth: details.dateOfBirth,
      child_address: details.address,
      siblings: details.siblings,
      nhs_number: details.nhsNumber ?? null,
      case_system_id: details.caseSystemId ?? null,
      ...(details.leadPractitioner !== undefined ? { lead_practitioner: details.leadPractitioner } : {}),
    })
    .where("id", "=", id)
    .execute();
}

/** Who leads the family's plan and who holds the risk, as a request or decision names them. */
export function setCaseHolders(db: Database, id: number, holders: { leadPractitioner?: string; riskHolder?: string }) {
  return db
    .updateTable("cases")
    .set({
      ...(holders.leadPractitioner !== undefined ? { lead_practitioner: holders.leadPractitioner } : {}),
      ...(holders.riskHolder !== undefined ? { risk_holder: holders.riskHolder } : {}),
    })
    .where("id", "=", id)
    .execute();
}

export async function addCaseAgencies(db: Database, caseId: number, agencyIds: number[]) {
  if (!agencyIds.length) return;
  await db
    .insertInto("case_agencies")
    .values(agencyIds.map((agencyId) => ({ case_id: caseId, agency_id: agencyId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export function listCaseAgencies(db: Database, caseId: number) {
  return db
    .selectFrom("case_agencies")
    .innerJoin("agencies", "agencies.id", "case_agencies.agency_id")
    .select(["agencies.id", "agencies.name"])
    .where("case_agencies.case_id", "=", caseId)
    .orderBy("agencies.name")
    .execute();
}

export function insertTransition(
  db: Database,
  t: {
    caseId: number;
    at: Date;
    actorUserId: number | null;
    event: string;
    from: string | null;
    to: string;
    reason?: string | null;
    requestId?: number | null;
  },
) {
  return db
    .insertInto("case_transitions")
    .values({
      case_id: t.caseId,
      at: t.at,
      actor_user_id: t.actorUserId,
      event: t.event,
      from_status: t.from,
      to_status: t.to,
      reason: t.reason ?? null,
      request_id: t.requestId ?? null,
    })
    .execute();
}

export function listTransitions(db: Database, caseId: number) {
  return db
    .selectFrom("case_transitions")
    .leftJoin("users", "users.id", "case_transitions.actor_user_id")
    .select([
      "case_transitions.id",
      "case_transitions.at",
      "case_transitions.event",
      "case_transitions.from_status",
      "case_transitions.to_status",
      "case_transitions.reason",
      "users.name as actor_name",
    ])
    .where("case_transitions.case_id", "=", caseId)
    .orderBy("case_transitions.at", "desc")
    .orderBy("case_transitions.id", "desc")
    .execute();
}

export function listDecisionsForCase(db: Database, caseId: number) {
  return db
    .selectFrom("decisions")
    .innerJoin("users", "users.id", "decisions.decided_by_user_id")
    .leftJoin("panels", "panels.id", "decisions.panel_id")
    .select([
      "decisions.id",
      "decisions.request_id",
      "decisions.outcome",
      "decisions.reasons",
      "decisions.risk_holder",
      "decisions.discussion",
      "decisions.decided_at",
      "decisions.panel_id",
      "decisions.transfer_date",
      "decisions.review_date",
      "decisions.lead_practitioner",
      "decisions.lead_practitioner_user_id",
      "panels.status as panel_status",
      "panels.chair_user_id as panel_chair_user_id",
      "decisions.superseded_by_decision_id",
      "decisions.corrects_decision_id",
      "decisions.correction_reason",
      "users.name as decided_by",
    ])
    .where("decisions.case_id", "=", caseId)
    .orderBy("decisions.decided_at", "desc")
    .execute();
}

export function insertDecision(
  db: Database,
  d: {
    requestId: number;
    caseId: number;
    outcome: string;
    reasons: string;
    riskHolder: string;
    by: number;
    at: Date;
    panelId?: number | null;
    agendaItemId?: number | null;
    discussion?: string | null;
    leadPractitioner?: string | null;
    riskHolderUserId?: number | null;
    leadPractitionerUserId?: number | null;
    correctsDecisionId?: number | null;
    correctionReason?: string | null;
    transferDate?: string | null;
    reviewDate?: string | null;
    challenge?: string | null;
  },
) {
  return db
    .insertInto("decisions")
    .values({
      request_id: d.requestId,
      case_id: d.caseId,
      outcome: d.outcome,
      reasons: d.reasons,
      risk_holder: d.riskHolder,
      risk_holder_user_id: d.riskHolderUserId ?? null,
      lead_practitioner_user_id: d.leadPractitionerUserId ?? null,
      corrects_decision_id: d.correctsDecisionId ?? null,
      correction_reason: d.correctionReason ?? null,
      decided_by_user_id: d.by,
      decided_at: d.at,
      panel_id: d.panelId ?? null,
      agenda_item_id: d.agendaItemId ?? null,
      discussion: d.discussion ?? null,
      lead_practitioner: d.leadPractitioner ?? null,
      transfer_date: d.transferDate ?? null,
      review_date: d.reviewDate ?? null,
      challenge: d.challenge ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export async function findCaseReferenceById(db: Database, id: number): Promise<string | undefined> {
  const row = await db.selectFrom("cases").select("reference").where("id", "=", id).executeTakeFirst();
  return row?.reference;
}

/** A case's decisions with who made the request each one answered. */
export function listDecisionsWithRequester(db: Database, caseId: number) {
  return (
    db
      .selectFrom("decisions")
      .innerJoin("requests", "requests.id", "decisions.request_id")
      .select([
        "decisions.id",
        "decisions.outcome",
        "decisions.decided_at",
        "decisions.panel_id",
        "decisions.decided_by_user_id",
        "requests.submitted_by_user_id",
      ])
      .where("decisions.case_id", "=", caseId)
      // A corrected decision is challenged through its correction.
      .where("decisions.superseded_by_decision_id", "is", null)
      .execute()
  );
}

/** What a search asks for: any of a reference, NHS number, case-system id, date of birth and name words. */
export interface CaseSearch {
  reference?: string;
  nhsNumber?: string;
  caseSystemId?: string;
  dateOfBirth?: string;
  nameWords?: string[];
}

const foundColumns = [
  "cases.reference",
  "cases.status",
  "cases.child_first_name",
  "cases.child_last_name",
  "cases.child_date_of_birth",
  "cases.updated_at",
  "areas.name as area_name",
] as const;

/** A word typed into a search, matched anywhere in a name: LIKE's own characters taken literally. */
const likeWord = (word: string) => `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Cases matching a search among those the person may see (the visibility rule), most recently changed first. */
export function searchVisibleCases(db: Database, viewer: Viewer, q: CaseSearch, limit = 50) {
  let query = db
    .selectFrom("cases")
    .innerJoin("areas", "areas.id", "cases.area_id")
    .select(foundColumns)
    .where(caseVisibleTo(viewer))
    .where("cases.anonymised_at", "is", null);
  if (q.reference) query = query.where("cases.reference", "=", q.reference);
  if (q.nhsNumber) query = query.where("cases.nhs_number", "=", q.nhsNumber);
  if (q.caseSystemId) query = query.where(sql<string>`lower(cases.case_system_id)`, "=", q.caseSystemId.toLowerCase());
  if (q.dateOfBirth) query = query.where("cases.child_date_of_birth", "=", q.dateOfBirth);
  for (const word of q.nameWords ?? []) {
    query = query.where(
      sql<string>`lower(coalesce(cases.child_first_name, '') || ' ' || coalesce(cases.child_last_name, ''))`,
      "like",
      likeWord(word),
    );
  }
  return query.orderBy("cases.updated_at", "desc").orderBy("cases.id", "desc").limit(limit).execute();
}

/** A person's own cases: those they asked about, are invited for, own actions on, or are named on. */
export function listRelatedCases(db: Database, viewer: Viewer, limit = 200) {
  return db
    .selectFrom("cases")
    .innerJoin("areas", "areas.id", "cases.area_id")
    .select(foundColumns)
    .where(caseRelatedTo(viewer))
    .where("cases.anonymised_at", "is", null)
    .orderBy("cases.updated_at", "desc")
    .orderBy("cases.id", "desc")
    .limit(limit)
    .execute();
}

/** Who a new request says the child is: what matching a child already known looks at. */
export interface ChildIdentity {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  nhsNumber?: string | null;
  caseSystemId?: string | null;
}

/**
 * Cases that may be the same child, in any area: the same NHS number or
 * case-system id, or the same date of birth and a name that is close in
 * spelling (trigram similarity of the whole name at least 0.4) or in sound
 * (the same Double Metaphone code for the family name and a first name that
 * sounds alike or starts with the same letter). Cases whose identity has been
 * erased are not matched. Not scoped to the viewer: what of a match may be
 * shown to whom is the caller's to decide.
 */
export async function findPossibleMatches(db: Database, child: ChildIdentity, limit = 5) {
  const name = `${child.firstName} ${child.lastName}`.toLowerCase();
  const fullName = sql<string>`lower(coalesce(cases.child_first_name, '') || ' ' || coalesce(cases.child_last_name, ''))`;
  const rows = await db
    .selectFrom("cases")
    .select(["cases.id", "cases.reference", "cases.area_id"])
    .select((eb) => [
      child.nhsNumber ? eb("cases.nhs_number", "=", child.nhsNumber).as("same_nhs_number") : sql<boolean>`false`.as("same_nhs_number"),
      child.caseSystemId
        ? eb(sql<string>`lower(cases.case_system_id)`, "=", child.caseSystemId.toLowerCase()).as("same_case_system_id")
        : sql<boolean>`false`.as("same_case_system_id"),
      sql<number>`similarity(${fullName}, ${name})`.as("name_similarity"),
    ])
    .where("cases.anonymised_at", "is", null)
    .where((eb) => {
      const sameDateOfBirthAndName = eb.and([
        eb("cases.child_date_of_birth", "=", child.dateOfBirth),
        eb.or([
          eb(sql<number>`similarity(${fullName}, ${name})`, ">=", 0.4),
          eb.and([
            eb(sql<string>`dmetaphone(coalesce(cases.child_last_name, ''))`, "=", sql<string>`dmetaphone(${child.lastName})`),
            eb.or([
              eb(sql<string>`dmetaphone(coalesce(cases.child_first_name, ''))`, "=", sql<string>`dmetaphone(${child.firstName})`),
              eb(sql<string>`lower(left(cases.child_first_name, 1))`, "=", child.firstName.slice(0, 1).toLowerCase()),
            ]),
          ]),
        ]),
      ]);
      const matches = [sameDateOfBirthAndName];
      if (child.nhsNumber) matches.push(eb("cases.nhs_number", "=", child.nhsNumber));
      if (child.caseSystemId) matches.push(eb(sql<string>`lower(cases.case_system_id)`, "=", child.caseSystemId.toLowerCase()));
      return eb.or(matches);
    })
    .orderBy("same_nhs_number", "desc")
    .orderBy("same_case_system_id", "desc")
    .orderBy("name_similarity", "desc")
    .orderBy("cases.id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    areaId: r.area_id,
    why: r.same_nhs_number
      ? "the same NHS number"
      : r.same_case_system_id
        ? "the same case system number"
        : "the same date of birth and a similar name",
  }));
}

/** Of some cases, those the viewer may see, with what the find-a-child page shows of them. */
export function visibleCasesAmong(db: Database, viewer: Viewer, ids: number[]) {
  return db
    .selectFrom("cases")
    .innerJoin("areas", "areas.id", "cases.area_id")
    .select(["cases.id", ...foundColumns])
    .where("cases.id", "in", idsOrNone(ids))
    .where(caseVisibleTo(viewer))
    .where("cases.anonymised_at", "is", null)
    .execute();
}

/** A list of ids for `in`, never empty (0 is no case's id): the same one query however many there are. */
const idsOrNone = (ids: number[]) => (ids.length ? ids : [0]);

/**
 * Some cases as a viewer may know of them, in one query: the area of each,
 * and its reference and child's name only when the viewer may see the case.
 */
export function casesAsKnownTo(db: Database, viewer: Viewer, ids: number[]) {
  return db
    .selectFrom("cases")
    .innerJoin("areas", "areas.id", "cases.area_id")
    .select((eb) => [
      "cases.id",
      "areas.name as area_name",
      eb
        .case()
        .when(eb.and([caseVisibleTo(viewer)(eb as never), eb("cases.anonymised_at", "is", null)]))
        .then(eb.ref("cases.reference"))
        .else(null)
        .end()
        .as("visible_reference"),
      eb
        .case()
        .when(eb.and([caseVisibleTo(viewer)(eb as never), eb("cases.anonymised_at", "is", null)]))
        .then(sql<string>`nullif(trim(coalesce(cases.child_first_name, '') || ' ' || coalesce(cases.child_last_name, '')), '')`)
        .else(null)
        .end()
        .as("visible_name"),
    ])
    .where("cases.id", "in", idsOrNone(ids))
    .execute();
}
