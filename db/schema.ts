/**
 * Table types: the one source of truth for the shape of the database.
 * Every migration that changes a table changes its interface here.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export const ROLES = [
  "professional",
  "team_manager",
  "service_manager",
  "partner",
  "admin",
] as const;
export type Role = (typeof ROLES)[number];

export const AGENCY_KINDS = [
  "childrens_social_care",
  "early_help",
  "health",
  "education",
  "police",
  "volunteer_family_support",
  "other",
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export interface AreasTable {
  id: Generated<number>;
  name: string;
  created_at: CreatedAt;
}

export interface AgenciesTable {
  id: Generated<number>;
  name: string;
  kind: AgencyKind;
  active: Generated<boolean>;
  created_at: CreatedAt;
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
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SessionsTable {
  /** SHA-256 of the token in the cookie, so a database leak is no key. */
  id: string;
  user_id: number;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  ip: string | null;
}

export interface SignInAttemptsTable {
  id: Generated<number>;
  email: string;
  ip: string | null;
  succeeded: boolean;
  at: Timestamp;
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
}

export const CASE_STATUSES = [
  "early_help",
  "step_up_requested",
  "social_care",
  "step_down_requested",
  "volunteer_support",
  "front_door",
  "closed",
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

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
  siblings: string | null;
  lead_practitioner: string | null;
  risk_holder: string | null;
  last_stepped_down_at: Date | null;
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

export interface DB {
  password_tokens: PasswordTokensTable;
  outbox: OutboxTable;
  cases: CasesTable;
  case_agencies: CaseAgenciesTable;
  requests: RequestsTable;
  decisions: DecisionsTable;
  case_transitions: CaseTransitionsTable;
  areas: AreasTable;
  agencies: AgenciesTable;
  users: UsersTable;
  sessions: SessionsTable;
  sign_in_attempts: SignInAttemptsTable;
  audit_events: AuditEventsTable;
}

export type Area = Selectable<AreasTable>;
export type Agency = Selectable<AgenciesTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
