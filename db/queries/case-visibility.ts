import { sql, type ExpressionBuilder } from "kysely";
import { may } from "../../domain/policy";
import type { DB, Role } from "../schema";
import { inAreaScope } from "./area-scope";
import { itemInviteStands } from "./item-invites";

export interface Viewer {
  id: number;
  role: Role;
  agencyId: number;
  areaId: number | null;
  allAreas: boolean;
}

/*
 * The case-visibility rule of `domain/policy.ts` (`maySeeCase`), written as SQL:
 * each relation below is one field of `CaseRelation`. Every case query goes
 * through `caseVisibleTo`; the access test checks the two agree for every demo
 * user and case.
 */

type Cases = ExpressionBuilder<DB, "cases">;

/** `requested`: they created the case or sent a request for it. */
function requested(eb: Cases, userId: number) {
  return eb.or([
    eb("cases.created_by_user_id", "=", userId),
    eb.exists(
      eb
        .selectFrom("requests")
        .select("requests.id")
        .whereRef("requests.case_id", "=", "cases.id")
        .where("requests.submitted_by_user_id", "=", userId),
    ),
  ]);
}

/** `invited`: invited to its agenda item while that stands, or chair or core member of a panel it is on. */
function invited(eb: Cases, userId: number) {
  return eb.exists(
    eb
      .selectFrom("agenda_items")
      .select("agenda_items.id")
      .whereRef("agenda_items.case_id", "=", "cases.id")
      .where((item) =>
        item.or([
          itemInviteStands(userId),
          item.and([
            item("agenda_items.status", "in", ["listed", "decided"]),
            item.exists(
              item
                .selectFrom("panel_attendees")
                .select("panel_attendees.id")
                .whereRef("panel_attendees.panel_id", "=", "agenda_items.panel_id")
                .where("panel_attendees.user_id", "=", userId)
                .where("panel_attendees.role", "in", ["chair", "core"]),
            ),
          ]),
        ]),
      ),
  );
}

/** `ownsAction`: they own an action on it. */
function ownsAction(eb: Cases, userId: number) {
  return eb.exists(
    eb.selectFrom("actions").select("actions.id").whereRef("actions.case_id", "=", "cases.id").where("actions.owner_user_id", "=", userId),
  );
}

/** No later uncorrected decision on the case than `d`: `d` is the case's standing decision. */
function standing(d: ExpressionBuilder<DB, "decisions">) {
  return d.not(
    d.exists(
      d
        .selectFrom("decisions as later")
        .select("later.id")
        .whereRef("later.case_id", "=", "decisions.case_id")
        .where("later.superseded_by_decision_id", "is", null)
        .where(sql<boolean>`(later.decided_at, later.id) > (decisions.decided_at, decisions.id)`),
    ),
  );
}

/**
 * `named`: the case's standing decision (its latest, uncorrected) names them
 * lead practitioner or risk holder, or the receiving service named them lead
 * practitioner or supervisor after it (its latest naming).
 */
function named(eb: Cases, userId: number) {
  return eb.or([
    eb.exists(
      eb
        .selectFrom("decisions")
        .select("decisions.id")
        .whereRef("decisions.case_id", "=", "cases.id")
        .where("decisions.superseded_by_decision_id", "is", null)
        .where((d) => d.or([d("decisions.risk_holder_user_id", "=", userId), d("decisions.lead_practitioner_user_id", "=", userId)]))
        .where(standing),
    ),
    eb.exists(
      eb
        .selectFrom("lead_practitioners as lp")
        .innerJoin("decisions", "decisions.id", "lp.decision_id")
        .select("lp.id")
        .whereRef("lp.case_id", "=", "cases.id")
        .where((l) => l.or([l("lp.lead_user_id", "=", userId), l("lp.supervisor_user_id", "=", userId)]))
        .where("decisions.superseded_by_decision_id", "is", null)
        .where(standing)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("lead_practitioners as newer")
                .select("newer.id")
                .whereRef("newer.case_id", "=", "lp.case_id")
                .whereRef("newer.id", ">", "lp.id"),
            ),
          ),
        ),
    ),
  ]);
}

/** `frontDoor`: it was handed to the front door and they are in the front-door team. */
function frontDoor(eb: Cases, userId: number) {
  return eb.and([
    eb.exists(eb.selectFrom("front_door_members").select("front_door_members.user_id").where("front_door_members.user_id", "=", userId)),
    eb.exists(
      eb
        .selectFrom("requests")
        .select("requests.id")
        .whereRef("requests.case_id", "=", "cases.id")
        .where("requests.status", "=", "front_door"),
    ),
  ]);
}

/** Which cases a person may see: `maySeeCase` for every row. */
export function caseVisibleTo(viewer: Viewer) {
  return (eb: Cases) => {
    if (!may(viewer, "takePart")) return eb.lit(false);
    const relations = [
      requested(eb, viewer.id),
      invited(eb, viewer.id),
      ownsAction(eb, viewer.id),
      named(eb, viewer.id),
      frontDoor(eb, viewer.id),
    ];
    if (may(viewer, "managePanels")) relations.unshift(inAreaScope(eb, "cases.area_id", viewer));
    return eb.or(relations);
  };
}

/** The cases someone has a relation to themselves (not those they see as an area's manager): their own cases. */
export function caseRelatedTo(viewer: Viewer) {
  return (eb: Cases) => {
    if (!may(viewer, "takePart")) return eb.lit(false);
    return eb.or([
      requested(eb, viewer.id),
      invited(eb, viewer.id),
      ownsAction(eb, viewer.id),
      named(eb, viewer.id),
      frontDoor(eb, viewer.id),
    ]);
  };
}
