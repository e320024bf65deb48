import type { DecisionOutcome } from "../../machines/case-journey/case-journey.machine";

/**
 * The words a letter may use, filled from the case when a letter is started.
 * They are written so that none starts a sentence.
 */
export const LETTER_PLACEHOLDERS = {
  child: "the child's first and last name",
  decisionDate: "the date of the decision",
  area: "the area whose panel decided",
  lead: "the lead practitioner, or “a worker from the service” when nobody is named yet",
  riskHolder: "who holds the risk",
  writer: "the name and agency of the person writing the letter",
} as const;

export type LetterPlaceholder = keyof typeof LETTER_PLACEHOLDERS;

const OPENING =
  "Dear parent or carer,\n\nOn {decisionDate} a meeting of professionals from different services in {area} talked about how best to support {child} and your family.";
const CLOSING =
  "If you have any questions, or you do not agree with what the meeting decided, please tell {lead}. You can ask for the decision to be looked at again.\n\nYours sincerely,\n\n{writer}";

/** The standard wording for each outcome, in plain language; an administrator may replace any of them. */
export const STANDARD_LETTERS: Record<DecisionOutcome, string> = {
  step_up_agreed: `${OPENING}\n\nThe meeting agreed that a social worker from Children's Social Care should now work with you, because your family needs more help than early help can give. You will be contacted by {lead} within the next few days to explain what happens next and to hear what you think.\n\n${CLOSING}`,
  step_down_agreed_early_help: `${OPENING}\n\nThe meeting agreed that your family no longer needs a social worker, and that the Early Help service will support you from now on. You will be contacted by {lead} to arrange a meeting with you and your social worker, so that nothing is lost when your support changes. Your social worker stays in touch until then.\n\n${CLOSING}`,
  step_down_agreed_volunteer_support: `${OPENING}\n\nThe meeting agreed that your family no longer needs a social worker, and that a volunteer from the Volunteer Family Support Service can support you from now on. You will be contacted by {lead} to arrange for you to meet your volunteer. Your social worker stays in touch until then.\n\n${CLOSING}`,
  not_agreed: `${OPENING}\n\nThe meeting agreed that the support your family has now is the right support, and that it should carry on for the time being. The person responsible for your family's plan is still {riskHolder}.\n\n${CLOSING}`,
  deferred: `${OPENING}\n\nThe meeting needs a little more information before it can decide, and will talk about your family again at its next meeting. Nothing changes until then: the person responsible for your family's plan is still {riskHolder}.\n\n${CLOSING}`,
  referred_to_front_door: `${OPENING}\n\nThe meeting asked the Children's Social Care front door team to look at your family's situation straight away. Someone from the team will contact you soon.\n\n${CLOSING}`,
  signposted: `${OPENING}\n\nThe meeting agreed that another service is better placed to help your family. You will be told about the service and how to contact it by {lead}.\n\n${CLOSING}`,
};

/** The letter's text with each known {word} filled in; anything else in braces is left as it is. */
export function fillLetter(template: string, values: Record<LetterPlaceholder, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, word: string) => (Object.hasOwn(values, word) ? values[word as LetterPlaceholder] : whole));
}

/** The words in braces a template uses that are not ones a letter can fill. */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((word) => !Object.hasOwn(LETTER_PLACEHOLDERS, word));
}
