import { FoldedForm } from "./folded-form";
import { Button, TextInput, valueOf } from "./govuk";
import type { FormFailure } from "../lib/http.server";

/**
 * The whole agenda's order in one step, without JavaScript: a place per item
 * still to decide. A form sent back with errors keeps what was typed.
 */
export function AgendaOrderForm({
  version,
  items,
  failure,
}: {
  version: number;
  items: Array<{ id: number; reference: string; childName: string | null }>;
  /** The failure, when it came back from this form. */
  failure?: FormFailure;
}) {
  return (
    <FoldedForm summary="Change the order of the agenda" open={Boolean(failure)} hidden={{ intent: "reorder", version }}>
      <p className="govuk-body">
        Give each item its place, 1 for the first item still to decide. To move one item, change its number only: the others make room.
        Times follow the new order.
      </p>
      {items.map((item, index) => (
        <TextInput
          key={item.id}
          name={`position_${item.id}`}
          label={`Place of case ${item.reference}${item.childName ? ` (${item.childName})` : ""}, now ${index + 1}`}
          width="3"
          inputMode="numeric"
          defaultValue={failure ? valueOf(failure.values, `position_${item.id}`) : String(index + 1)}
          error={failure?.errors[`position_${item.id}`]}
        />
      ))}
      <Button secondary>Save the order</Button>
    </FoldedForm>
  );
}
