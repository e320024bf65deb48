import { Form } from "@remix-run/react";
import { FoldedForm } from "./folded-form";
import { Button, CsrfInput, Textarea, valueOf } from "./govuk";
import type { FormFailure } from "../lib/http.server";
import { OTHERS } from "../lib/quorum";

/**
 * What the chair checks before the items: who is missing from the room and
 * whether the panel is quorate (with a reason to go ahead without), and the
 * last panel's minutes waiting for the core members' approval.
 */
export function RoomChecks({
  inSession,
  started,
  version,
  missing,
  othersShort,
  quorum,
  lastMinutes,
  goingAheadWithout,
  failure,
}: {
  inSession: boolean;
  started: boolean;
  version: number;
  missing: Array<{ kind: string; label: string }>;
  othersShort: { needed: number; present: number } | null;
  quorum: { quorate: boolean; needs: string };
  lastMinutes: { id: number; date: string; published: boolean } | null;
  goingAheadWithout: Array<{ label: string; reason: string }>;
  failure: FormFailure | undefined;
}) {
  const failedIntent = failure ? valueOf(failure.values, "intent") : "";
  return (
    <>
      {missing.length ? (
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            Not represented: {missing.map((m) => m.label).join(" and ")}. Record who is present before making decisions, or record why the
            panel goes ahead without them.
          </strong>
        </div>
      ) : null}
      {inSession && othersShort ? (
        <div className="govuk-warning-text">
          <span className="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong className="govuk-warning-text__text">
            <span className="govuk-visually-hidden">Warning</span>
            {`Not quorate: this panel needs ${quorum.needs}; ${othersShort.present} other agenc${
              othersShort.present === 1 ? "y is" : "ies are"
            } present. Record who is present, or record why the panel goes ahead without quorum.`}
          </strong>
        </div>
      ) : null}
      {inSession && !started && lastMinutes ? (
        <section aria-labelledby="last-minutes-heading" className="govuk-!-margin-bottom-6">
          <h2 className="govuk-heading-m" id="last-minutes-heading">
            First: the minutes of the last panel
          </h2>
          <p className="govuk-body">
            <a className="govuk-link" href={`/panels/${lastMinutes.id}/minutes`}>
              {`Minutes of the panel on ${lastMinutes.date}`}
            </a>
            {lastMinutes.published
              ? ": the core members present approve them, with any amendments they agree."
              : ": not published yet, so they cannot be approved today."}
          </p>
          {lastMinutes.published ? (
            <Form method="post" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="approve_minutes" />
              <input type="hidden" name="version" value={version} />
              <input type="hidden" name="minutesPanelId" value={lastMinutes.id} />
              <Textarea
                name="amendments"
                label="Amendments agreed (optional)"
                hint="For example: item 3, the lead practitioner is Sam Lee, not Sam Leigh. The decision itself is corrected from the minutes page."
                rows={2}
                maxLength={2000}
                defaultValue={failedIntent === "approve_minutes" ? valueOf(failure?.values, "amendments") : ""}
                error={failedIntent === "approve_minutes" ? failure?.errors.amendments : undefined}
              />
              <Button secondary>The core members present approve the minutes</Button>
            </Form>
          ) : null}
        </section>
      ) : null}
      {inSession && !started && quorum.quorate ? (
        <p className="govuk-body">{`The panel is quorate: it needs ${quorum.needs}, and they are present.`}</p>
      ) : null}
      {inSession
        ? [
            // Each needed agency nobody represents, then too few others: each takes its own reason for going ahead.
            ...missing.map((m) => ({
              kind: m.kind as string,
              what: m.label,
              hint: "For example, the early help manager sent a written view for each item. This goes in the minutes.",
            })),
            ...(othersShort
              ? [
                  {
                    kind: OTHERS,
                    what: "quorum",
                    hint: "For example, the police sent a written view for each item. This goes in the minutes.",
                  },
                ]
              : []),
          ].map((m) => {
            const failedHere = failedIntent === "go_ahead" && valueOf(failure?.values, "kind") === m.kind;
            return (
              <FoldedForm
                key={m.kind}
                summary={`Go ahead without ${m.what}`}
                open={failedHere}
                hidden={{ intent: "go_ahead", version: version, kind: m.kind }}
              >
                <Textarea
                  name="reason"
                  label={`Why does the panel go ahead without ${m.what}?`}
                  hint={m.hint}
                  rows={2}
                  defaultValue={failedHere ? valueOf(failure?.values, "reason") : ""}
                  error={failedHere ? failure?.errors.reason : undefined}
                />
                <Button secondary>Record the reason</Button>
              </FoldedForm>
            );
          })
        : null}
      {goingAheadWithout.length ? (
        <div className="govuk-inset-text">
          {goingAheadWithout.map((g) => (
            <p className="govuk-body" key={g.label}>
              Going ahead without {g.label}: {g.reason}
            </p>
          ))}
        </div>
      ) : null}
    </>
  );
}
