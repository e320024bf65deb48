import type { AgencyKind, Role } from "../domain/organisation";
import type { CaseState } from "../machines/case-journey/case-journey.machine";
import type { ChallengeState } from "../machines/challenge/challenge.machine";
import type { PanelState } from "../machines/panel/panel.machine";
/**
 * Table types: the one source of truth for the shape of the database.
 * Every migration that changes a table changes its interface here.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export { AGENCY_KINDS, ROLES, type AgencyKind, type Role } from "../domain/organisation";

export interface AreasTable {
  id: Generated<number>;
  name: string;
  created_at: CreatedAt;
  /** The agency kinds a panel in the area needs present, and how many other agencies besides. */
  quorum_kinds: ColumnType<AgencyKind[], string | undefined, string>;
  quorum_others: ColumnType<number, number | undefined, number>;
  /** The hand-over clocks, in working days from the decision: name the lead practitioner, hold the transfer meeting. */
  lead_within_days: ColumnType<number, number | undefined, number>;
  transfer_within_days: ColumnType<number, number | undefined, number>;
}

export interface AgenciesTable {
  id: Generated<number>;
  name: string;
  kind: AgencyKind;
  active: Generated<boolean>;
  /** Who a slot invite goes to when the agency has no one with an account. */
  contact_name: string | null;
  contact_email: string | null;
  created_at: CreatedAt;
  /** OpenID Connect: the agency's identity provider, when its staff sign in there. */
  oidc_issuer: Generated<string | null>;
  oidc_client_id: Generated<string | null>;
  oidc_client_secret: Generated<string | null>;
  /** Email domains the provider may vouch for (lower case, no @). */
  oidc_email_domains: ColumnType<string[], string | undefined, string>;
}

export interface UsersTable {
  id: Generated<number>;
  name: string;
  email: string;
  password_hash: string | null;
  role: Role;
  agency_id: number;
  area_id: number | null;
  active: Generated<boolean>;
  calendar_token_hash: string | null;
  /** Base32 TOTP secret; in use once totp_enabled_at is set. */
  totp_secret: string | null;
  totp_enabled_at: Timestamp | null;
  /** The last 30-second step a code was accepted for: a code works once. */
  totp_last_step: ColumnType<string | null, number | string | null, number | string | null>;
  /** A manager who acts for every area (one with no area and not this sees no cases). */
  all_areas: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** Who made the account when it was not an administrator (a chair naming a contact or an action owner). */
  created_by_user_id: Generated<number | null>;
  /** When an administrator made or confirmed the account; null while one made by someone else waits. */
  confirmed_at: Generated<Date | null>;
}

export interface FrontDoorMembersTable {
  user_id: number;
  added_at: Generated<Date>;
}

export interface SessionsTable {
  /** SHA-256 of the token in the cookie, so a database leak is no key. */
  id: string;
  user_id: number;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  ip: string | null;
  /** Half signed in: the password was right, the second factor is still to come. */
  pending: "code" | "set_up" | null;
  code_failures: Generated<number>;
  /** The WebAuthn challenge this session is answering, if any. */
  webauthn_challenge: Generated<string | null>;
}

export interface PasskeysTable {
  /** The credential id, base64url. */
  id: string;
  user_id: number;
  /** COSE public key, base64url. */
  public_key: string;
  counter: ColumnType<string, number | string, number | string>;
  transports: ColumnType<string[], string, string>;
  name: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
}

export interface RecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  /** "salt:sha256(salt + code)", hex. */
  code_hash: string;
  used_at: Timestamp | null;
}

export interface RoleSettingsTable {
  role: Role;
  two_factor_required: boolean;
  updated_at: Generated<Date>;
}

export interface SignInAttemptsTable {
  id: Generated<number>;
  email: string;
  ip: string | null;
  succeeded: boolean;
  at: Timestamp;
  /** Which secret was guessed: the password, a second-factor code, or the current password when changing it. */
  kind: Generated<"password" | "second_factor" | "current_password">;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: number | null;
  action: string;
  record_type: string | null;
  record_id: string | null;
  ip: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, never>;
  /** Set by the database when the worker seals the row into the chain: its place, the previous row's hash and its own. */
  seq: ColumnType<string | null, never, never>;
  prev_hash: ColumnType<string | null, never, never>;
  hash: ColumnType<string | null, never, never>;
  /** Set by the database on insert: the hash of the row's own content, checked until it is sealed. */
  row_hash: ColumnType<string | null, never, never>;
}

/** A case's status column holds its journey machine's state: the machine keeps the one list. */
export type CaseStatus = CaseState;

export type RequestKind = "step_up" | "step_down";
export type RequestStatus = "draft" | "awaiting_panel" | "decided" | "withdrawn" | "front_door";

export interface CasesTable {
  id: Generated<number>;
  reference: string;
  area_id: number;
  status: CaseStatus;
  /** The case journey machine's persisted snapshot (see machines/case-journey). */
  journey: ColumnType<unknown, string, string>;
  machine_version: number;
  version: Generated<number>;
  child_first_name: string | null;
  child_last_name: string | null;
  child_date_of_birth: string | null;
  child_address: string | null;
  /** Ten digits, checked (domain/nhs-number.ts). */
  nhs_number: Generated<string | null>;
  /** The council's own case-management system's id for the child, as typed. */
  case_system_id: Generated<string | null>;
  siblings: string | null;
  lead_practitioner: string | null;
  risk_holder: string | null;
  last_stepped_down_at: Date | null;
  /** Set when the retention period ended and personal details and free text were removed. */
  anonymised_at: Generated<Date | null>;
  created_by_user_id: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CaseAgenciesTable {
  case_id: number;
  agency_id: number;
}

export interface RequestsTable {
  id: Generated<number>;
  case_id: number | null;
  kind: RequestKind;
  status: RequestStatus;
  area_id: number | null;
  submitted_by_user_id: number;
  agency_id: number;
  answers: ColumnType<Record<string, unknown>, string | undefined, string>;
  bounce_back: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  submitted_at: Date | null;
  /** When someone in the front-door team took a referral handed to them, and who. */
  front_door_received_at: Generated<Date | null>;
  front_door_received_by_user_id: Generated<number | null>;
  /** Cases this request's child may already be (same NHS or case-system number, or date of birth and a similar name). */
  possible_match_case_ids: ColumnType<number[], string | undefined, string>;
}

export interface DecisionsTable {
  id: Generated<number>;
  request_id: number;
  case_id: number;
  outcome: string;
  reasons: string;
  risk_holder: string;
  decided_by_user_id: number;
  decided_at: Timestamp;
  panel_id: number | null;
  agenda_item_id: number | null;
  discussion: string | null;
  lead_practitioner: string | null;
  transfer_date: string | null;
  review_date: string | null;
  challenge: string | null;
  /** A correction replaces a decision; both are kept. */
  superseded_by_decision_id: number | null;
  corrects_decision_id: number | null;
  correction_reason: string | null;
  risk_holder_user_id: number | null;
  lead_practitioner_user_id: number | null;
}

type IdList = ColumnType<number[], string | undefined, string>;

export interface PanelSchedulesTable {
  area_id: number;
  anchor_date: string;
  weekday: "MO" | "TU" | "WE" | "TH" | "FR";
  interval_weeks: number;
  start_time: string;
  end_time: string;
  cutoff_days_before: number;
  cutoff_time: string;
  chair_user_id: number | null;
  core_user_ids: IdList;
  core_agency_ids: IdList;
  venue: string | null;
  meeting_link: string | null;
  version: Generated<number>;
  updated_at: Timestamp;
}

/** A panel's status column holds its lifecycle machine's state: the machine keeps the one list. */
export type PanelStatus = PanelState;
export type PanelKind = "routine" | "extraordinary";

export interface PanelsTable {
  id: Generated<number>;
  area_id: number;
  kind: PanelKind;
  status: PanelStatus;
  /** The panel machine's context (see machines/panel). */
  lifecycle: ColumnType<Record<string, unknown>, string, string>;
  meeting_date: string;
  moved_from: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  cutoff_at: Timestamp;
  chair_user_id: number | null;
  venue: string | null;
  meeting_link: string | null;
  reason: string | null;
  called_by_user_id: number | null;
  cancelled_reason: string | null;
  /** The date a panel was planned for when its chair started it before then, and why. */
  held_early_from: string | null;
  held_early_reason: string | null;
  /** Why the panel went ahead without an agency kind it needs, by kind. */
  going_ahead_without: ColumnType<Record<string, string>, string | undefined, string>;
  invite_sequence: Generated<number>;
  version: Generated<number>;
  minutes: ColumnType<unknown, string | null | undefined, string | null>;
  /** The core members' approval of these minutes at the area's next panel. */
  minutes_approval: ColumnType<MinutesApproval | null, string | null | undefined, string | null>;
  /** The item under discussion now, while the panel is in session. */
  current_item_id: Generated<number | null>;
  /** When the agenda went to the people invited for its items; until then nobody is emailed about items. */
  agenda_sent_at: Generated<Date | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PanelTransitionsTable {
  id: Generated<number>;
  panel_id: number;
  at: Timestamp;
  actor_user_id: number | null;
  event: string;
  from_status: string;
  to_status: string;
  reason: string | null;
}

export type Attendance = "in_person" | "online" | "apologies" | "absent";

export interface PanelAttendeesTable {
  id: Generated<number>;
  panel_id: number;
  /** A person with an account, or a guest (name, role and agency) who turned up. */
  user_id: number | null;
  guest_name: string | null;
  guest_role: string | null;
  guest_agency_id: number | null;
  /** "present": not invited, added by the chair at the meeting. */
  role: "chair" | "core" | "item" | "present";
  attendance: Attendance | null;
}

/** "returned": taken off the panel while its requester answers the chair's question. */
export type AgendaItemStatus = "listed" | "decided" | "moved" | "withdrawn" | "returned";

export interface AgendaItemsTable {
  id: Generated<number>;
  panel_id: number;
  request_id: number;
  case_id: number;
  status: AgendaItemStatus;
  position: number;
  slot_minutes: Generated<number>;
  pinned_start: string | null;
  invited_agency_ids: IdList;
  invited_user_ids: IdList;
  late: Generated<boolean>;
  invite_sequence: Generated<number>;
  invite_sent_start: Date | null;
  invite_sent_user_ids: IdList;
  created_at: Timestamp;
  /** When the chair actually started and ended discussing it (live panel). */
  started_at: Generated<Date | null>;
  ended_at: Generated<Date | null>;
  /** Skipped at the meeting, to come back to after the rest. */
  skipped: Generated<boolean>;
  /** When the chair, sorting requests before the panel, listed it. */
  sorted_at: Generated<Date | null>;
}

/** A question the chair asks a request's requester before listing it, and the answer. */
export interface RequestQuestionsTable {
  id: Generated<number>;
  request_id: number;
  panel_id: number;
  asked_by_user_id: number;
  question: string;
  asked_at: Timestamp;
  answer: string | null;
  answered_by_user_id: number | null;
  answered_at: Date | null;
}

export const FAMILY_TOLD_METHODS = ["visit", "phone", "video", "meeting", "letter"] as const;
export type FamilyToldMethod = (typeof FAMILY_TOLD_METHODS)[number];

/** How, when and by whom a family was told of a decision. */
export interface FamilyToldTable {
  id: Generated<number>;
  case_id: number;
  decision_id: number;
  method: FamilyToldMethod;
  told_on: ColumnType<string, string, never>;
  told_by: string;
  response: string | null;
  recorded_by_user_id: number;
  recorded_at: Timestamp;
}

/** An administrator's wording for the letter to a family after an outcome. */
export interface LetterTemplatesTable {
  outcome: string;
  body: string;
  updated_by_user_id: number;
  updated_at: Timestamp;
}

/** A letter to a family, kept with the case as written; printable once someone else has reviewed it. */
export interface FamilyLettersTable {
  id: Generated<number>;
  case_id: number;
  decision_id: number;
  body: string;
  written_by_user_id: number;
  written_at: Timestamp;
  reviewed_by_user_id: number | null;
  reviewed_at: Timestamp | null;
}

/** Someone invited to a panel who has an interest in one of its items. */
export interface InterestDeclarationsTable {
  id: Generated<number>;
  panel_id: number;
  agenda_item_id: number;
  user_id: number;
  reason: string;
  declared_at: Timestamp;
}

/** What a partner's agency knows about an item, written before the meeting for the pack. */
export interface InformationReturnsTable {
  id: Generated<number>;
  panel_id: number;
  agenda_item_id: number;
  user_id: number;
  agency_id: number;
  body: string;
  written_at: Timestamp;
}

/** Someone invited has marked the panel's pack read. */
export interface PackReadsTable {
  panel_id: number;
  user_id: number;
  read_at: Timestamp;
}

export const ENGAGEMENT_OUTCOMES = ["engaged", "declined", "not_contacted", "stepped_back_up"] as const;
export type EngagementOutcome = (typeof ENGAGEMENT_OUTCOMES)[number];

/** How a family engaged after a step down, recorded at its review. */
export interface EngagementReviewsTable {
  id: Generated<number>;
  case_id: number;
  decision_id: number;
  outcome: EngagementOutcome;
  reason: string;
  reviewed_on: ColumnType<string, string, string>;
  recorded_by_user_id: number;
  recorded_at: Timestamp;
}

export interface SubjectAccessWithheldTable {
  case_id: number;
  field: string;
  marked_by_user_id: number;
  marked_at: Timestamp;
}

export interface LeadPractitionersTable {
  id: Generated<number>;
  case_id: number;
  decision_id: number;
  lead: string;
  lead_user_id: number | null;
  supervisor: string | null;
  supervisor_user_id: number | null;
  named_by_user_id: number;
  named_at: Timestamp;
}

export interface MinutesApproval {
  at: string;
  /** The panel at which they were approved, and its date. */
  atPanelId: number;
  atMeetingDate: string;
  /** The core members present who approved them, as "name, agency". */
  approvers: string[];
  amendments: string | null;
}

export interface ActionsTable {
  id: Generated<number>;
  case_id: number;
  panel_id: number | null;
  agenda_item_id: number | null;
  description: string;
  owner_user_id: number;
  due_date: string;
  status: Generated<"open" | "done">;
  /** The hand-over step this action is, when a step up or step down started it. */
  handover: ColumnType<"name_lead" | "transfer" | null, "name_lead" | "transfer" | null | undefined, never>;
  done_note: string | null;
  done_at: Date | null;
  created_by_user_id: number;
  created_at: Timestamp;
}

export interface ExtraordinaryRequestsTable {
  id: Generated<number>;
  area_id: number;
  requested_by_user_id: number;
  starts_at: Timestamp;
  ends_at: Timestamp;
  reason: string;
  request_ids: IdList;
  /** Who the panel invites, when the caller chose (null: the area's core members). */
  attendee_user_ids: ColumnType<number[] | null, string | null | undefined, string | null>;
  status: "pending" | "approved" | "declined";
  decided_by_user_id: number | null;
  decided_at: Date | null;
  decline_reason: string | null;
  panel_id: number | null;
  created_at: Timestamp;
}

export interface CaseTransitionsTable {
  id: Generated<number>;
  case_id: number;
  at: Timestamp;
  actor_user_id: number | null;
  event: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  request_id: number | null;
}

export type OutboxStatus = "pending" | "sending" | "sent" | "failed";

export interface OutboxTable {
  id: Generated<number>;
  idempotency_key: string;
  kind: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  ics: string | null;
  ics_method: string | null;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  locked_until: Date | null;
  last_error: string | null;
  transport: string | null;
  created_at: Timestamp;
  sent_at: Date | null;
}

export interface PasswordTokensTable {
  id: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Date | null;
}

export interface ActionNoticesTable {
  action_id: number;
  kind: "reminder" | "overdue";
  sent_on: string;
}

/** A challenge's status column holds its machine's state: the machine keeps the one list. */
export type ChallengeStatus = ChallengeState;

export interface ChallengesTable {
  id: Generated<number>;
  case_id: number;
  decision_id: number;
  panel_id: number | null;
  area_id: number;
  raised_by_user_id: number;
  raiser_agency_id: number;
  respondent_user_id: number | null;
  disagreement: string;
  category: "threshold" | "risk" | "information" | "capacity" | "other";
  reason: string;
  risk_holder: string;
  status: ChallengeStatus;
  stage: Generated<number>;
  /** The challenge machine's persisted snapshot (see machines/challenge). */
  machine: ColumnType<unknown, string, string>;
  deadline_at: Date | null;
  overdue: Generated<boolean>;
  resolution: string | null;
  changed_to: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Date | null;
}

export interface ChallengeEventsTable {
  id: Generated<number>;
  challenge_id: number;
  at: Timestamp;
  actor_user_id: number | null;
  event: string;
  from_status: string | null;
  to_status: string;
  text: string | null;
}

export interface JobsTable {
  id: Generated<number>;
  key: string;
  kind: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  run_at: Timestamp;
  status: Generated<"pending" | "done" | "failed">;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Timestamp;
  done_at: Date | null;
}

export interface WorkerHeartbeatsTable {
  worker_id: string;
  host: string;
  pid: number;
  started_at: Timestamp;
  beat_at: Timestamp;
}

export interface DB {
  worker_heartbeats: WorkerHeartbeatsTable;
  challenges: ChallengesTable;
  challenge_events: ChallengeEventsTable;
  jobs: JobsTable;
  action_notices: ActionNoticesTable;
  panel_schedules: PanelSchedulesTable;
  panels: PanelsTable;
  panel_transitions: PanelTransitionsTable;
  panel_attendees: PanelAttendeesTable;
  agenda_items: AgendaItemsTable;
  request_questions: RequestQuestionsTable;
  family_told: FamilyToldTable;
  letter_templates: LetterTemplatesTable;
  family_letters: FamilyLettersTable;
  interest_declarations: InterestDeclarationsTable;
  information_returns: InformationReturnsTable;
  pack_reads: PackReadsTable;
  engagement_reviews: EngagementReviewsTable;
  subject_access_withheld: SubjectAccessWithheldTable;
  lead_practitioners: LeadPractitionersTable;
  actions: ActionsTable;
  extraordinary_requests: ExtraordinaryRequestsTable;
  password_tokens: PasswordTokensTable;
  outbox: OutboxTable;
  cases: CasesTable;
  case_agencies: CaseAgenciesTable;
  front_door_members: FrontDoorMembersTable;
  requests: RequestsTable;
  decisions: DecisionsTable;
  case_transitions: CaseTransitionsTable;
  areas: AreasTable;
  agencies: AgenciesTable;
  users: UsersTable;
  sessions: SessionsTable;
  sign_in_attempts: SignInAttemptsTable;
  audit_events: AuditEventsTable;
  recovery_codes: RecoveryCodesTable;
  role_settings: RoleSettingsTable;
  passkeys: PasskeysTable;
  oidc_logins: OidcLoginsTable;
  insight_request_facts: InsightRequestFactsTable;
  insight_monthly: InsightMonthlyTable;
  insight_durations: InsightDurationsTable;
  insight_state: InsightStateTable;
}

/** Which side of the threshold a case sits: early help (with volunteer support), social care, or closed. */
export type Tier = "early_help" | "social_care" | "closed";
export type PanelKindOrNone = PanelKind | "none";

/** One decided request, as the insight figures count it (ADR 015). Kept by the insight refresh job. */
export interface InsightRequestFactsTable {
  request_id: number;
  case_id: number;
  area_id: number;
  agency_id: number;
  kind: RequestKind;
  panel_kind: PanelKindOrNone;
  panel_id: number | null;
  /** The settled outcome: the latest correction of the first decision that was not a deferral. */
  outcome: string;
  /** Europe/London date of the first settling decision (a correction keeps the panel's date). */
  decided_on: string;
  month: string;
  days_to_decision: number | null;
  days_to_transfer: number | null;
  deferrals: number;
  /** The tier the decision left the case in. */
  placed: Tier;
  /** For an agreed step up or down: when the case next crossed back the other way. */
  back_on: string | null;
  /** Where the case was 3 and 6 months on: same, back or closed (null until then). */
  at_3_months: "same" | "back" | "closed" | null;
  at_6_months: "same" | "back" | "closed" | null;
}

/** Monthly roll-up of the facts; area 0 and agency 0 stand for "all". */
export interface InsightMonthlyTable {
  area_id: number;
  agency_id: number;
  month: string;
  kind: RequestKind;
  panel_kind: PanelKindOrNone;
  outcome: string;
  decided: number;
  deferred_twice: number;
  same_3: number;
  back_3: number;
  closed_3: number;
  same_6: number;
  back_6: number;
  closed_6: number;
  bounced_3: number;
  bounced_6: number;
  bounced_12: number;
  window_3: number;
  window_6: number;
  window_12: number;
}

/** How many decided requests took each whole number of days, per month; area 0 and agency 0 stand for "all". */
export interface InsightDurationsTable {
  area_id: number;
  agency_id: number;
  month: string;
  measure: "to_decision" | "to_transfer";
  panel_kind: PanelKindOrNone;
  kind: RequestKind;
  days: number;
  n: number;
}

export interface InsightStateTable {
  id: number;
  decision_mark: number;
  transition_mark: number;
  refreshed_on: string | null;
  refreshed_at: Date | null;
}

export interface OidcLoginsTable {
  /** SHA-256 of the state sent to the provider. */
  state_hash: string;
  agency_id: number;
  nonce: string;
  code_verifier: string;
  return_to: string;
  /** SHA-256 of the starting browser's anti-forgery token: the answer must come back to the same browser. */
  browser_hash: string;
  created_at: Timestamp;
}

export type Area = Selectable<AreasTable>;
export type Agency = Selectable<AgenciesTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
