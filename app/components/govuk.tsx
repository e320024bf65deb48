import { useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { FieldErrors, FormValues } from "../lib/validation";

export function CsrfInput() {
  const data = useRouteLoaderData<{ csrfToken: string }>("root");
  return <input type="hidden" name="csrf" value={data?.csrfToken ?? ""} />;
}

/** GOV.UK error summary: focused on arrival so screen readers announce it. */
export function ErrorSummary({ errors, labels = {} }: { errors?: FieldErrors; labels?: Record<string, string> }) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors ?? {});
  useEffect(() => {
    if (!entries.length) return;
    ref.current?.focus();
    // GOV.UK pattern: the page title says there is an error, for screen reader users.
    if (!document.title.startsWith("Error: ")) document.title = `Error: ${document.title}`;
    return () => {
      document.title = document.title.replace(/^Error: /, "");
    };
  }, [errors, entries.length]);
  if (!entries.length) return null;
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" ref={ref} tabIndex={-1}>
      <div role="alert">
        <h2 className="govuk-error-summary__title">There is a problem</h2>
        <div className="govuk-error-summary__body">
          <ul className="govuk-list govuk-error-summary__list">
            {entries.map(([field, message]) => (
              <li key={field}>{field === "form" ? message : <a href={`#${labels[field] ?? field}`}>{message}</a>}</li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

function ErrorMessage({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={`${id}-error`} className="govuk-error-message">
      <span className="govuk-visually-hidden">Error:</span> {message}
    </p>
  );
}

function describedBy(...ids: Array<string | false | undefined>) {
  const list = ids.filter(Boolean).join(" ");
  return list || undefined;
}

/** Form group, label, hint and error message around one control. */
function Field({
  name,
  label,
  hint,
  error,
  labelClassName = "govuk-label",
  maxLength,
  children,
}: {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  labelClassName?: string;
  /** A character count: GOV.UK's look, the limit said, and what is left counted as people type when JavaScript runs. */
  maxLength?: number;
  children: ReactNode;
}) {
  return (
    <div className={`govuk-form-group${maxLength ? " govuk-character-count" : ""}${error ? " govuk-form-group--error" : ""}`}>
      <label className={labelClassName} htmlFor={name}>
        {label}
      </label>
      {hint ? (
        <div id={`${name}-hint`} className="govuk-hint">
          {hint}
        </div>
      ) : null}
      <ErrorMessage id={name} message={error} />
      {children}
    </div>
  );
}

function fieldDescribedBy(name: string, hint: ReactNode, error: string | undefined) {
  return describedBy(hint ? `${name}-hint` : false, error ? `${name}-error` : false);
}

export function valueOf(values: FormValues | undefined, name: string, fallback = ""): string {
  const v = values?.[name];
  if (Array.isArray(v)) return v[0] ?? fallback;
  return v ?? fallback;
}

interface FieldProps {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  labelIsPageHeading?: boolean;
}

export function TextInput({
  name,
  label,
  hint,
  error,
  defaultValue,
  type = "text",
  autoComplete,
  width,
  spellCheck,
  inputMode,
}: FieldProps & {
  defaultValue?: string;
  type?: "text" | "email" | "password" | "date" | "tel" | "number" | "url";
  autoComplete?: string;
  width?: "20" | "10" | "5" | "3" | "one-half" | "two-thirds";
  spellCheck?: boolean;
  inputMode?: "numeric" | "text" | "email";
}) {
  const widthClass = width ? (width.includes("-") ? ` govuk-!-width-${width}` : ` govuk-input--width-${width}`) : "";
  return (
    <Field name={name} label={label} hint={hint} error={error}>
      <input
        className={`govuk-input${error ? " govuk-input--error" : ""}${widthClass}`}
        id={name}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        spellCheck={spellCheck}
        inputMode={inputMode}
        aria-describedby={fieldDescribedBy(name, hint, error)}
      />
    </Field>
  );
}

export function Textarea({
  name,
  label,
  hint,
  error,
  defaultValue,
  rows = 5,
  maxLength,
}: FieldProps & { defaultValue?: string; rows?: number; maxLength?: number }) {
  // Typed so far, once the page runs in the browser: without JavaScript the limit is simply stated.
  const [typed, setTyped] = useState<number | null>(null);
  const left = maxLength !== undefined && typed !== null ? maxLength - typed : null;
  return (
    <Field name={name} label={label} hint={hint} error={error} labelClassName="govuk-label govuk-label--s" maxLength={maxLength}>
      <textarea
        className={`govuk-textarea${error || (left !== null && left < 0) ? " govuk-textarea--error" : ""}`}
        id={name}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        onInput={maxLength ? (event) => setTyped(event.currentTarget.value.length) : undefined}
        aria-describedby={describedBy(fieldDescribedBy(name, hint, error) ?? false, maxLength ? `${name}-info` : false)}
      />
      {maxLength ? (
        <div
          id={`${name}-info`}
          className={`govuk-character-count__message ${left !== null && left < 0 ? "govuk-error-message" : "govuk-hint"}`}
        >
          {left === null
            ? `You can enter up to ${maxLength} characters`
            : left >= 0
              ? `You have ${left} character${left === 1 ? "" : "s"} remaining`
              : `You have ${-left} character${left === -1 ? "" : "s"} too many`}
        </div>
      ) : null}
    </Field>
  );
}

export function Select({
  name,
  label,
  hint,
  error,
  defaultValue,
  options,
  placeholder,
}: FieldProps & {
  defaultValue?: string;
  options: Array<{ value: string; label: string }>;
  placeholder?: string;
}) {
  return (
    <Field name={name} label={label} hint={hint} error={error}>
      <select
        className={`govuk-select${error ? " govuk-select--error" : ""}`}
        id={name}
        name={name}
        defaultValue={defaultValue}
        aria-describedby={fieldDescribedBy(name, hint, error)}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function Radios({
  name,
  legend,
  hint,
  error,
  defaultValue,
  options,
  inline,
  legendSize = "m",
  isPageHeading,
}: {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  defaultValue?: string;
  options: Array<{ value: string; label: string; hint?: string }>;
  inline?: boolean;
  legendSize?: "s" | "m" | "l" | "xl";
  isPageHeading?: boolean;
}) {
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy(hint ? `${name}-hint` : false, error ? `${name}-error` : false)}>
        <legend className={`govuk-fieldset__legend govuk-fieldset__legend--${legendSize}`}>
          {isPageHeading ? <h1 className="govuk-fieldset__heading">{legend}</h1> : legend}
        </legend>
        {hint ? (
          <div id={`${name}-hint`} className="govuk-hint">
            {hint}
          </div>
        ) : null}
        <ErrorMessage id={name} message={error} />
        <div className={`govuk-radios${inline ? " govuk-radios--inline" : ""}`} data-module="govuk-radios">
          {options.map((o, i) => {
            // The first radio carries the field's id so the error summary link lands on it.
            const id = i === 0 ? name : `${name}-${i + 1}`;
            return (
              <div className="govuk-radios__item" key={o.value}>
                <input
                  className="govuk-radios__input"
                  id={id}
                  name={name}
                  type="radio"
                  value={o.value}
                  defaultChecked={defaultValue === o.value}
                  aria-describedby={o.hint ? `${id}-item-hint` : undefined}
                />
                <label className="govuk-label govuk-radios__label" htmlFor={id}>
                  {o.label}
                </label>
                {o.hint ? (
                  <div id={`${id}-item-hint`} className="govuk-hint govuk-radios__hint">
                    {o.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function Button({
  children,
  secondary,
  warning,
  name,
  value,
}: {
  children: ReactNode;
  secondary?: boolean;
  warning?: boolean;
  name?: string;
  value?: string;
}) {
  const variant = secondary ? " govuk-button--secondary" : warning ? " govuk-button--warning" : "";
  return (
    <button type="submit" className={`govuk-button${variant}`} data-module="govuk-button" name={name} value={value}>
      {children}
    </button>
  );
}

export function Tag({ children, colour }: { children: ReactNode; colour?: string }) {
  return <strong className={`govuk-tag${colour ? ` govuk-tag--${colour}` : ""}`}>{children}</strong>;
}

export function SummaryList({ rows, noBorder = false }: { rows: Array<{ key: string; value: ReactNode }>; noBorder?: boolean }) {
  return (
    <dl className={`govuk-summary-list${noBorder ? " govuk-summary-list--no-border" : ""}`}>
      {rows.map((row) => (
        <div className="govuk-summary-list__row" key={row.key}>
          <dt className="govuk-summary-list__key">{row.key}</dt>
          <dd className="govuk-summary-list__value">{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function NotificationBanner({ title = "Success", children }: { title?: string; children: ReactNode }) {
  return (
    <div
      className="govuk-notification-banner govuk-notification-banner--success"
      role="alert"
      aria-labelledby="govuk-notification-banner-title"
      data-module="govuk-notification-banner"
    >
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="govuk-notification-banner-title">
          {title}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">{children}</div>
    </div>
  );
}

export function DateInput({
  prefix,
  legend,
  hint,
  error,
  values,
}: {
  prefix: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  values?: FormValues;
}) {
  const parts: Array<{ key: string; label: string; width: string; autoComplete?: string }> = [
    { key: "Day", label: "Day", width: "2" },
    { key: "Month", label: "Month", width: "2" },
    { key: "Year", label: "Year", width: "4" },
  ];
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset
        className="govuk-fieldset"
        role="group"
        aria-describedby={describedBy(hint ? `${prefix}-hint` : false, error ? `${prefix}Day-error` : false)}
      >
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        {hint ? (
          <div id={`${prefix}-hint`} className="govuk-hint">
            {hint}
          </div>
        ) : null}
        <ErrorMessage id={`${prefix}Day`} message={error} />
        <div className="govuk-date-input">
          {parts.map((part) => {
            const name = `${prefix}${part.key}`;
            return (
              <div className="govuk-date-input__item" key={part.key}>
                <div className="govuk-form-group">
                  <label className="govuk-label govuk-date-input__label" htmlFor={name}>
                    {part.label}
                  </label>
                  <input
                    className={`govuk-input govuk-date-input__input govuk-input--width-${part.width}${error ? " govuk-input--error" : ""}`}
                    id={name}
                    name={name}
                    type="text"
                    inputMode="numeric"
                    defaultValue={valueOf(values, name)}
                  />
                </div>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function Checkboxes({
  name,
  legend,
  hint,
  error,
  values,
  options,
}: {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  values?: FormValues;
  options: Array<{ value: string; label: string }>;
}) {
  const raw = values?.[name];
  const checked = new Set(Array.isArray(raw) ? raw : raw ? [raw] : []);
  const baseId = name.replace(/\[\]$/, "");
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset
        className="govuk-fieldset"
        aria-describedby={describedBy(hint ? `${baseId}-hint` : false, error ? `${baseId}-error` : false)}
      >
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        {hint ? (
          <div id={`${baseId}-hint`} className="govuk-hint">
            {hint}
          </div>
        ) : null}
        <ErrorMessage id={baseId} message={error} />
        <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
          {options.map((o, i) => {
            const id = i === 0 ? baseId : `${baseId}-${i + 1}`;
            return (
              <div className="govuk-checkboxes__item" key={o.value}>
                <input
                  className="govuk-checkboxes__input"
                  id={id}
                  name={name}
                  type="checkbox"
                  value={o.value}
                  defaultChecked={checked.has(o.value)}
                />
                <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
                  {o.label}
                </label>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export interface Column<Row> {
  header: ReactNode;
  cell: (row: Row, index: number) => ReactNode;
  /** Right-aligned figures (GOV.UK numeric columns). */
  numeric?: boolean;
}

/**
 * A GOV.UK table: caption, header row, one row per record. It scrolls inside
 * its own labelled container on a narrow screen rather than making the page
 * scroll sideways.
 */
export function Table<Row>({
  caption,
  captionSize,
  columns,
  rows,
  rowKey,
  className,
  rowId,
}: {
  caption: string;
  /** Show the caption at this size; without it the caption is for screen readers only. */
  captionSize?: "s" | "m";
  columns: Array<Column<Row>>;
  rows: Row[];
  rowKey: (row: Row, index: number) => string | number;
  className?: string;
  rowId?: (row: Row) => string | undefined;
}) {
  return (
    <div className="app-table-container" role="region" aria-label={caption} tabIndex={0}>
      <table className={`govuk-table${className ? ` ${className}` : ""}`}>
        <caption className={`govuk-table__caption${captionSize ? ` govuk-table__caption--${captionSize}` : " govuk-visually-hidden"}`}>
          {caption}
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            {columns.map((column, i) => (
              <th key={i} scope="col" className={`govuk-table__header${column.numeric ? " govuk-table__header--numeric" : ""}`}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {rows.map((row, index) => (
            <tr className="govuk-table__row" key={rowKey(row, index)} id={rowId?.(row)}>
              {columns.map((column, i) => (
                <td key={i} className={`govuk-table__cell${column.numeric ? " govuk-table__cell--numeric" : ""}`}>
                  {column.cell(row, index)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
