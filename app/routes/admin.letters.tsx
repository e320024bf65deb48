import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { NotificationBanner } from "../components/govuk";
import { formatDateTime } from "../lib/dates";
import { LETTER_PLACEHOLDERS } from "../lib/family-letters";
import { actorMay } from "../services/authorise.server";
import { letterTemplatesForAdmin } from "../services/family-letters.server";

export const meta: MetaFunction = () => [{ title: "Letters to families – Threshold" }];

export async function loader({ context }: LoaderFunctionArgs) {
  actorMay(context, "administer");
  const templates = await letterTemplatesForAdmin(context);
  return json({
    templates: templates.map((t) => ({ ...t, changedAt: t.changedAt ? formatDateTime(t.changedAt) : null })),
    placeholders: Object.entries(LETTER_PLACEHOLDERS).map(([word, meaning]) => ({ word: `{${word}}`, meaning })),
  });
}

/** The wording each outcome's letter starts from; each letter is still read and changed by its writer before review. */
export default function LetterWording() {
  const { templates, placeholders } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  const saved = templates.find((t) => t.outcome === search.get("saved"));
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {saved ? <NotificationBanner>{`Wording saved for “${saved.label}”.`}</NotificationBanner> : null}
        <h1 className="govuk-heading-l">Letters to families</h1>
        <p className="govuk-body">
          After a decision, the lead practitioner or a manager starts the family&apos;s letter from the wording here, changes what the
          family needs said differently, and a manager who did not write it reviews it before it is printed. These words are filled in from
          the case:
        </p>
        <dl className="govuk-summary-list">
          {placeholders.map((p) => (
            <div className="govuk-summary-list__row" key={p.word}>
              <dt className="govuk-summary-list__key">{p.word}</dt>
              <dd className="govuk-summary-list__value">{p.meaning}</dd>
            </div>
          ))}
        </dl>
        <h2 className="govuk-heading-m">The wording for each outcome</h2>
        <dl className="govuk-summary-list">
          {templates.map((t) => (
            <div className="govuk-summary-list__row" key={t.outcome}>
              <dt className="govuk-summary-list__key">{t.label}</dt>
              <dd className="govuk-summary-list__value">{t.changedAt ? `Changed ${t.changedAt}` : "The standard wording"}</dd>
              <dd className="govuk-summary-list__actions">
                <a className="govuk-link" href={`/admin/letters/${t.outcome}`}>
                  Change<span className="govuk-visually-hidden">{` the letter after “${t.label}”`}</span>
                </a>
              </dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
