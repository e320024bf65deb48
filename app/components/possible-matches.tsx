/**
 * Beside an agenda item, for the chair: the cases its child may already be
 * (matched when the request was sent). One the chair may see is linked; of
 * another nothing is said but that it exists, for a service manager to check.
 */
export function PossibleMatches({ matches }: { matches: Array<{ reference: string | null; area: string | null }> }) {
  if (matches.length === 0) return null;
  return (
    <div className="app-possible-matches">
      <strong className="govuk-tag govuk-tag--yellow">May be a child already known</strong>
      <ul className="govuk-list govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">
        {matches.map((match, index) =>
          match.reference ? (
            <li key={match.reference}>
              Check against{" "}
              <a className="govuk-link" href={`/cases/${match.reference}`}>
                {match.reference}
              </a>{" "}
              ({match.area})
            </li>
          ) : (
            <li key={`other-${index}`}>A case you cannot open: ask a service manager to check it</li>
          ),
        )}
      </ul>
    </div>
  );
}
