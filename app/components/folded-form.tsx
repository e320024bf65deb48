import { Form, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import { CsrfInput } from "./govuk";

/**
 * A form folded away in a GOV.UK details element until needed; open again when
 * it came back with errors. Hidden fields carry the intent and the version read.
 */
export function FoldedForm({
  summary,
  open,
  hidden,
  children,
}: {
  summary: string;
  open: boolean;
  hidden: Record<string, string | number>;
  children: ReactNode;
}) {
  // A new page (after the form succeeds) starts folded again, as after a full load; a form sent
  // back with errors stays as it is while the person corrects it.
  const { key } = useLocation();
  return (
    <details className="govuk-details" open={open} key={open ? "open" : key}>
      <summary className="govuk-details__summary">
        <span className="govuk-details__summary-text">{summary}</span>
      </summary>
      <div className="govuk-details__text">
        <Form method="post" noValidate>
          <CsrfInput />
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {children}
        </Form>
      </div>
    </details>
  );
}
