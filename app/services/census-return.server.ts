import { DISABILITY_CODES, ETHNICITY_CODES } from "../../domain/census-codes";
import { DECISION_LABELS } from "../lib/labels";
import { decidedRequestsForReturn } from "../../db/queries/insight";
import { insertAuditEvent } from "../../db/queries/audit";
import { censusItemFor } from "../lib/cin-census";
import type { Actor, Deps } from "../lib/context";
import { toCsv } from "../lib/csv";
import type { AgencyKind } from "../lib/organisation";
import { may } from "../lib/policy";
import { forbidden } from "./authorise.server";
import { insightAreasFor, PANEL_KIND_LABELS, scopeOf, type InsightFilters } from "./insight.server";

/**
 * The period's step-up and step-down decisions with the Children in Need
 * census items they map to (app/lib/cin-census.ts). Names cases by reference
 * only, and is audited as a read of those cases.
 */
/** A stored code, if it is one of the census's (answers are text, so nothing else passes). */
function censusCode(codes: Record<string, string>, value: unknown) {
  return typeof value === "string" && Object.hasOwn(codes, value) ? value : "";
}

export async function censusReturn(deps: Deps, actor: Actor, filters: InsightFilters) {
  if (!may(actor.user, "exportCensusReturn")) throw forbidden();
  const scope = scopeOf(filters, insightAreasFor(actor.user));
  const rows = await decidedRequestsForReturn(deps.db, scope);
  await insertAuditEvent(deps.db, {
    at: deps.clock.now(),
    actorUserId: actor.user.id,
    action: "insight.census_return_exported",
    recordType: "case",
    recordId: undefined,
    ip: actor.ip,
    detail: {
      cases: rows.map((r) => r.reference),
      rows: rows.length,
      from: filters.from,
      to: filters.to,
      area: scope.areaId,
      agency: scope.agencyId,
    },
  });
  return toCsv(
    [
      "Case reference",
      "Area",
      "Requesting agency",
      "Request",
      "Decision",
      "Decision date",
      "Panel",
      "Census item",
      "Referral source code",
      "Referral source",
      "Referral NFA",
      "Closure reason code",
      "Closure reason",
      "Ethnicity code",
      "Disability codes",
    ],
    rows.map((r) => {
      const item = censusItemFor({ kind: r.kind, outcome: r.outcome, agencyKind: r.agency_kind as AgencyKind });
      return [
        r.reference,
        r.area,
        r.agency,
        r.kind === "step_up" ? "Step up" : "Step down",
        DECISION_LABELS[r.outcome as keyof typeof DECISION_LABELS] ?? r.outcome,
        String(r.decided_on).slice(0, 10),
        PANEL_KIND_LABELS[r.panel_kind],
        item.item ?? "",
        item.referralSource?.code ?? "",
        item.referralSource?.label ?? "",
        item.referralNfa === null ? "" : item.referralNfa ? "Y" : "N",
        item.closureReason?.code ?? "",
        item.closureReason?.label ?? "",
        censusCode(ETHNICITY_CODES, r.ethnicity),
        (Array.isArray(r.disabilities) ? r.disabilities : [])
          .map((c) => censusCode(DISABILITY_CODES, c))
          .filter(Boolean)
          .join(" "),
      ];
    }),
  );
}
