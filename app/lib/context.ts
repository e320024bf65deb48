import type { Database } from "../../db/connect";
import type { AgencyKind, Role } from "../../db/schema";
import type { Clock } from "./clock";

export interface CurrentUser {
  id: number;
  name: string;
  email: string;
  role: Role;
  agencyId: number;
  agencyName: string;
  agencyKind: AgencyKind;
  areaId: number | null;
  /** A manager who acts for every area; a manager with no area and not this sees no cases. */
  allAreas: boolean;
}

/** What every service needs: the database and the time. */
export interface Deps {
  db: Database;
  clock: Clock;
  /** Where links in emails point (APP_URL). */
  settings?: Pick<PublicSettings, "appUrl"> & {
    challengeStageDays?: readonly number[];
    twoFactorByDefault?: boolean;
    retentionYears?: number;
  };
}

/** Where links in emails, invites and feeds point (APP_URL). */
export function appUrlOf(deps: Pick<Deps, "settings">): string {
  return deps.settings?.appUrl ?? "http://localhost:3000";
}

/** What a service needs to act for someone and audit it. */
export interface Actor {
  user: CurrentUser;
  ip: string | null;
}

export interface PublicSettings {
  frontDoor: { phone: string; email: string };
  appUrl: string;
  sessionIdleMinutes: number;
  mailboxEnabled: boolean;
  /** The mailbox page is open to administrators (off in production unless MAILBOX_ENABLED=true). */
  mailboxPage: boolean;
  /** Secret links (set-password, calendar feeds) in kept emails are shown cut short (production). */
  maskMailboxLinks: boolean;
  /** Plain http: meeting links are accepted outside production only. */
  allowHttpLinks: boolean;
  challengeStageDays: readonly number[];
  /** Outside production, passkeys belong to whatever address the browser used (localhost in tests); in production, to APP_URL. */
  passkeysOnRequestOrigin: boolean;
  /** Whether a role with no saved setting must use a second factor (production: yes). */
  twoFactorByDefault: boolean;
}

/** Handed to every loader and action by the server. */
export interface AppContext extends Deps {
  user: CurrentUser | null;
  sessionId: string | null;
  /** A session whose password was right and whose second factor is still to come (it signs nobody in). */
  halfSignedIn: { sessionId: string; userId: number; email: string; pending: "code" | "set_up" } | null;
  ip: string | null;
  csrfToken: string;
  /** Names this request in the logs. */
  requestId: string;
  /** This response's script nonce (Content-Security-Policy). */
  cspNonce: string;
  settings: PublicSettings;
  cookies: {
    commitSession(token: string): Promise<string>;
    destroySession(): Promise<string>;
    /** A new anti-forgery token's cookie: given at every sign-in. */
    rotateCsrf(): Promise<string>;
  };
}

declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
}
