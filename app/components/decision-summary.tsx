import { SummaryList } from "./govuk";

export interface DecisionFacts {
  outcome: string;
  discussion?: string | null;
  reasons: string;
  riskHolder: string;
  leadPractitioner?: string | null;
  transferDate?: string | null;
  reviewDate?: string | null;
  challenge?: string | null;
}

/** A panel's decision on one item as the chairing page and the minutes show it; empty facts are left out. */
export function DecisionSummary({ decision, noBorder = false }: { decision: DecisionFacts; noBorder?: boolean }) {
  const rows: Array<[string, string | null | undefined]> = [
    ["Decision", decision.outcome],
    ["Discussion", decision.discussion],
    ["Reasons", decision.reasons],
    ["Risk held by", decision.riskHolder],
    ["Lead practitioner", decision.leadPractitioner],
    ["Transfer meeting or joint visit", decision.transferDate],
    ["Team Around the Family review", decision.reviewDate],
    ["Professional challenge", decision.challenge],
  ];
  return <SummaryList noBorder={noBorder} rows={rows.filter(([, value]) => value).map(([key, value]) => ({ key, value }))} />;
}
