import { sql, type RawBuilder } from "kysely";

/**
 * Need-to-know for people invited to one agenda item: the invitation stands
 * while the person is among those the item's slot invite was last sent to
 * (`invite_sent_user_ids`, kept in step with the agenda in the same
 * transaction), and the item is still on the agenda or decided there. Removing
 * someone from an item, or the item leaving the panel, ends it at once.
 */
export function itemInviteStands(userId: number): RawBuilder<boolean> {
  return sql<boolean>`(agenda_items.status in ('listed', 'decided') and agenda_items.invite_sent_user_ids @> ${JSON.stringify([userId])}::jsonb)`;
}
