import { useEffect, useRef, useState } from "react";
import type { FormValues } from "../lib/validation";
import { Select, TextInput, valueOf } from "./govuk";

/**
 * Picks a person for a role on a decision: someone with an account from the
 * list, or "someone else" with their name, role and agency. Each label names
 * the role, so two of these on one page never read alike.
 */
export function ChosenPersonField({
  field,
  label,
  noun,
  hint,
  people,
  values,
  errors,
  defaults,
  proposed,
}: {
  field: string;
  label: string;
  /** Who this is, for the "someone else" fields: "Risk holder", "Lead practitioner". */
  noun: string;
  hint?: string;
  people: Array<{ value: string; label: string }>;
  values?: FormValues;
  errors?: Record<string, string>;
  /** What to fill in before anything was typed (a proposed lead practitioner). */
  defaults?: Record<string, string>;
  /** Who the request proposed, offered as a choice to accept as written. */
  proposed?: string | null;
}) {
  const value = (name: string) => (values ? valueOf(values, name) : (defaults?.[name] ?? ""));
  // The "someone else" fields fold away until chosen (with JavaScript; without it they are always there).
  const [choice, setChoice] = useState(value(field));
  const [folding, setFolding] = useState(false);
  const group = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // A choice made before the page's script ran is read from the page, so its fields stay open.
    const select = group.current?.querySelector<HTMLSelectElement>(`select[name="${field}"]`);
    if (select) setChoice(select.value);
    setFolding(true);
  }, [field]);
  return (
    <div
      ref={group}
      className="govuk-form-group"
      onChange={(event) => {
        const input = event.target as HTMLSelectElement;
        if (input.name === field) setChoice(input.value);
      }}
    >
      <Select
        name={field}
        label={label}
        hint={hint}
        placeholder="Choose the person"
        options={[
          ...(proposed ? [{ value: "proposed", label: `As proposed in the request: ${proposed}` }] : []),
          ...people,
          { value: "other", label: "Someone else: enter their name, role and agency" },
        ]}
        defaultValue={value(field)}
        error={errors?.[field]}
      />
      {proposed ? <input type="hidden" name={`${field}Proposed`} value={proposed} /> : null}
      <div className="govuk-inset-text govuk-!-margin-top-0" hidden={folding && choice !== "other"}>
        <TextInput
          name={`${field}Name`}
          label={`${noun}'s full name (only for someone else)`}
          defaultValue={value(`${field}Name`)}
          error={errors?.[`${field}Name`]}
        />
        <TextInput name={`${field}Role`} label={`${noun}'s role`} defaultValue={value(`${field}Role`)} error={errors?.[`${field}Role`]} />
        <TextInput
          name={`${field}Agency`}
          label={`${noun}'s agency or team`}
          defaultValue={value(`${field}Agency`)}
          error={errors?.[`${field}Agency`]}
        />
      </div>
    </div>
  );
}
