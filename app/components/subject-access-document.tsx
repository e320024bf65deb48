import type { ReactNode } from "react";
import type { Entry as DocumentEntry, Section as DocumentSection } from "../services/subject-access.server";
import { Tag } from "./govuk";

/** The marking every page of the record carries, on screen and in print. */
export function OfficialSensitive() {
  return <p className="govuk-body govuk-!-font-weight-bold subject-access__marking">OFFICIAL-SENSITIVE</p>;
}

/** A reviewer's tick: leave this detail out of the family's copy. */
function WithholdBox({ entry, context }: { entry: DocumentEntry; context: string }) {
  const id = `withhold-${entry.field}`;
  return (
    <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
      <div className="govuk-checkboxes__item">
        <input
          className="govuk-checkboxes__input"
          id={id}
          name="withhold"
          type="checkbox"
          value={entry.field}
          defaultChecked={entry.withheld}
        />
        <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
          Withhold<span className="govuk-visually-hidden">{` ${entry.key}, ${context}`}</span>
        </label>
      </div>
    </div>
  );
}

function Value({ entry, review }: { entry: DocumentEntry; review: boolean }): ReactNode {
  if (entry.withheld && !review) return <span className="subject-access__withheld">{entry.value}</span>;
  return (
    <>
      <span className="app-pre-wrap">{entry.value}</span>
      {entry.withheld ? (
        <>
          {" "}
          <Tag colour="grey">Withheld from the copy</Tag>
        </>
      ) : null}
    </>
  );
}

/**
 * The record, section by section. In review each detail someone typed has a
 * "Withhold" tick beside it (the page wraps this in the form that saves them);
 * in the copy, withheld details already arrive replaced by a note.
 */
export function SubjectAccessDocument({ sections, review }: { sections: DocumentSection[]; review: boolean }) {
  return (
    <>
      {sections.map((s) => (
        <section key={s.heading} className="subject-access__section">
          <h2 className="govuk-heading-m">{s.heading}</h2>
          {s.kind === "lists" ? (
            s.groups.map((g) => (
              <div key={g.id}>
                {g.title ? <h3 className="govuk-heading-s">{g.title}</h3> : null}
                <dl className="govuk-summary-list">
                  {g.rows.map((row, i) => (
                    <div className={`govuk-summary-list__row${review && !row.field ? " govuk-summary-list__row--no-actions" : ""}`} key={i}>
                      <dt className="govuk-summary-list__key">{row.key}</dt>
                      <dd className="govuk-summary-list__value">
                        <Value entry={row} review={review} />
                      </dd>
                      {review && row.field ? (
                        <dd className="govuk-summary-list__actions">
                          <WithholdBox entry={row} context={g.title ?? s.heading} />
                        </dd>
                      ) : null}
                    </div>
                  ))}
                </dl>
              </div>
            ))
          ) : (
            <div className="app-table-container" role="region" aria-label={s.caption} tabIndex={0}>
              <table className="govuk-table">
                <caption className="govuk-table__caption govuk-visually-hidden">{s.caption}</caption>
                <thead className="govuk-table__head">
                  <tr className="govuk-table__row">
                    {s.headers.map((h) => (
                      <th key={h} scope="col" className="govuk-table__header">
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="govuk-table__body">
                  {s.rows.map((row, r) => (
                    <tr className="govuk-table__row" key={row.id}>
                      {row.cells.map((cell, i) => (
                        <td className="govuk-table__cell" key={i}>
                          <Value entry={cell} review={review} />
                          {review && cell.field && cell.value ? <WithholdBox entry={cell} context={`${s.caption}, row ${r + 1}`} /> : null}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
    </>
  );
}
