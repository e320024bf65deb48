import { upsertDeclaration } from "../../db/queries/declarations";
import { DECLARING_STATES } from "../lib/state-labels";
import type { declarationSchema } from "../forms/declarations";
import type { Actor, Deps } from "../lib/context";
import { FormError } from "../lib/errors";
import type { z } from "zod";
import { agendaFor } from "./agenda.server";
import { recordRead } from "./audit-trail.server";
import { forbidden } from "./authorise.server";
import { audit } from "./panel-access.server";

/**
 * The items someone invited may declare an interest in: those they may see
 * that are not yet decided. Audited as a read of the agenda's cases.
 */
export async function declarationChoices(deps: Deps, actor: Actor, panelId: number) {
  const agenda = await agendaFor(deps, actor, panelId);
  if (!DECLARING_STATES.includes(agenda.panel.status)) throw forbidden("Interests are declared before or at the meeting");
  const items = agenda.items.filter((i) => i.status === "listed");
  await recordRead(deps, actor, {
    action: "panel.agenda_viewed",
    recordType: "panel",
    recordId: panelId,
    cases: items.map((i) => i.reference),
  });
  return { panel: agenda.panel, items };
}

/** Records the declaration (or its new reason): the chair sees it beside the item, and the minutes record it. */
export async function declareInterest(deps: Deps, actor: Actor, panelId: number, input: z.output<typeof declarationSchema>) {
  const { items } = await declarationChoices(deps, actor, panelId);
  const item = items.find((i) => i.id === input.itemId);
  if (!item) throw new FormError({ itemId: "Select the item you have an interest in" });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await upsertDeclaration(trx, { panelId, itemId: item.id, userId: actor.user.id, reason: input.reason, at: now });
    await audit(trx, actor, now, "panel.interest_declared", panelId, { cases: [item.reference], item: item.id });
  });
  return item;
}
