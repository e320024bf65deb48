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

export interface DB {
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
