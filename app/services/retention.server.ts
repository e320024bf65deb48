import { DateTime } from "luxon";
import { insertAuditEvent } from "../../db/queries/audit";
import { anonymiseCase, listCasesPastRetention } from "../../db/queries/retention";
import type { Deps } from "../lib/context";
import { ZONE } from "../lib/dates";

/** The council's default: seven years after a case closes. */
export const DEFAULT_RETENTION_YEARS = 7;
const BATCH = 100;

/**
 * Anonymises closed cases whose retention period has ended: names, dates of
 * birth, addresses and free text go; the reference, dates, statuses and
 * outcomes stay for the figures. One transaction and one audit row per case;
 * safe to run from several workers (a case is done once).
 */
export async function anonymiseExpiredCases(deps: Deps): Promise<{ anonymised: number }> {
  const years = deps.settings?.retentionYears ?? DEFAULT_RETENTION_YEARS;
  const now = deps.clock.now();
  const cutOff = DateTime.fromJSDate(now).setZone(ZONE).minus({ years }).toJSDate();
  let anonymised = 0;
  for (const c of await listCasesPastRetention(deps.db, cutOff, BATCH)) {
    const done = await deps.db.transaction().execute(async (trx) => {
      if (!(await anonymiseCase(trx, c.id, c.reference, now))) return false;
      await insertAuditEvent(trx, {
        at: now,
        actorUserId: null,
        action: "case.anonymised",
        recordType: "case",
        recordId: c.reference,
        detail: { retentionYears: years },
      });
      return true;
    });
    if (done) anonymised += 1;
  }
  return { anonymised };
}
