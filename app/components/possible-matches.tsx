/**
 * Beside an agenda item, for the chair: the cases its child may already be
 * (matched when the request was sent). One the chair may see is linked; of
 * another only the area is said, to ask that area's panel manager.
 */
export function PossibleMatches({ matches }: { matches: Array<{ reference: string | null; area: string }> }) {
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
            <li key={`other-${index}`}>A case in {match.area}: ask its panel manager</li>
          ),
        )}
      </ul>
    </div>
  );
}
