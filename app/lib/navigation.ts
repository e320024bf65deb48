import type { Role } from "./organisation";
import { may, type Capability } from "./policy";

export interface NavItem {
  href: string;
  label: string;
}

/** The navigation, each item shown to whoever the policy lets use its page. */
const NAVIGATION: Array<NavItem & { for: Capability | "everyone" }> = [
  { href: "/", label: "Home", for: "everyone" },
  { href: "/requests/new", label: "Submit a case", for: "submitRequests" },
  { href: "/submissions", label: "My submissions", for: "submitRequests" },
  { href: "/awaiting-panel", label: "Awaiting panel", for: "managePanels" },
  { href: "/cases", label: "Find a child", for: "takePart" },
  { href: "/panels", label: "Panels", for: "takePart" },
  { href: "/actions", label: "My actions", for: "takePart" },
  { href: "/challenges", label: "Challenges", for: "takePart" },
  { href: "/calendar", label: "Calendar", for: "takePart" },
  { href: "/insight", label: "Insight", for: "readInsight" },
  { href: "/admin/users", label: "Users", for: "administer" },
  { href: "/admin/agencies", label: "Agencies", for: "administer" },
  { href: "/admin/areas", label: "Areas", for: "administer" },
  { href: "/admin/security", label: "Security", for: "administer" },
  { href: "/admin/front-door", label: "Front door", for: "administer" },
  { href: "/admin/letters", label: "Family letters", for: "administer" },
  { href: "/admin/email", label: "Email delivery", for: "administer" },
  { href: "/audit", label: "Audit trail", for: "readAuditTrail" },
  { href: "/schedules", label: "Schedules", for: "editSchedules" },
  { href: "/dev/mailbox", label: "Mailbox", for: "administer" },
];

/** What a role sees in the navigation; a page not listed for a role answers 403 to it. */
export function navigationFor(role: Role, options: { mailboxPage: boolean }): NavItem[] {
  return NAVIGATION.filter((item) => item.for === "everyone" || may({ role }, item.for))
    .filter((item) => item.href !== "/dev/mailbox" || options.mailboxPage)
    .map(({ href, label }) => ({ href, label }));
}

export const ROLE_NAMES: Record<Role, string> = {
  professional: "Professional",
  team_manager: "Team manager",
  service_manager: "Service manager",
  head_of_service: "Head of service",
  partner: "Partner",
  admin: "Administrator",
  auditor: "Auditor",
};
