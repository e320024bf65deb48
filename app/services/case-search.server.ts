import { listRelatedCases, searchVisibleCases, type CaseSearch } from "../../db/queries/cases";
import type { Actor, Deps } from "../lib/context";
import { formatDate } from "../lib/dates";
import { may } from "../lib/policy";
import { recordRead } from "./audit-trail.server";
import { forbidden } from "./authorise.server";
import { statusLabel } from "./case-journey.server";

type Found = Awaited<ReturnType<typeof searchVisibleCases>>[number];

/** A case as the find-a-child page lists it: only ever one the person may see, so its name is theirs to read. */
function listed(row: Found) {
  return {
    reference: row.reference,
    name: [row.child_first_name, row.child_last_name].filter(Boolean).join(" ") || "Not recorded",
    dateOfBirth: row.child_date_of_birth ? formatDate(row.child_date_of_birth) : "Not recorded",
    area: row.area_name,
    state: statusLabel(row.status),
  };
}

/**
 * Finds children among the cases the person may see (the visibility rule):
 * a case that does not exist and one they may not see answer the same, with
 * nothing. What was searched for is not kept; the cases shown are audited.
 */
export async function findCases(deps: Deps, actor: Actor, search: CaseSearch) {
  if (!may(actor.user, "takePart")) throw forbidden();
  const rows = await searchVisibleCases(deps.db, actor.user, search);
  await recordRead(deps, actor, { action: "case.search", cases: rows.map((r) => r.reference), detail: { rows: rows.length } });
  return rows.map(listed);
}

/** The children a person works with themselves: they asked, are invited, own an action or are named. */
export async function myCases(deps: Deps, actor: Actor) {
  if (!may(actor.user, "takePart")) throw forbidden();
  const rows = await listRelatedCases(deps.db, actor.user);
  if (rows.length) await recordRead(deps, actor, { action: "case.my_cases_viewed", cases: rows.map((r) => r.reference) });
  return rows.map(listed);
}
