import type { Role } from "../../db/schema";

export interface NavItem {
  href: string;
  label: string;
}

/** What each role sees in the navigation; a page not listed for a role answers 403 to it. */
export function navigationFor(role: Role): NavItem[] {
  const items: NavItem[] = [{ href: "/", label: "Home" }];
  if (role !== "admin") {
    items.push({ href: "/requests/new", label: "Submit a case" }, { href: "/submissions", label: "My submissions" });
  }
  if (role === "team_manager" || role === "service_manager") {
    items.push({ href: "/awaiting-panel", label: "Awaiting panel" });
  }
  if (role !== "admin") {
    items.push(
      { href: "/panels", label: "Panels" },
      { href: "/actions", label: "My actions" },
      { href: "/challenges", label: "Challenges" },
      { href: "/calendar", label: "Calendar" },
    );
  }
  if (role === "service_manager") items.push({ href: "/schedules", label: "Schedules" });
  if (role === "admin") {
    items.push(
      { href: "/admin/users", label: "Users" },
      { href: "/admin/agencies", label: "Agencies" },
      { href: "/admin/areas", label: "Areas" },
      { href: "/schedules", label: "Schedules" },
      { href: "/dev/mailbox", label: "Mailbox" },
    );
  }
  return items;
}

export const ROLE_NAMES: Record<Role, string> = {
  professional: "Professional",
  team_manager: "Team manager",
  service_manager: "Service manager",
  partner: "Partner",
  admin: "Administrator",
};
