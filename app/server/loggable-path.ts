/** Secrets in a path (password links, calendar feeds) never reach the logs. */
export function loggablePath(p: string) {
  return p.replace(/^\/set-password\/[^/]+/, "/set-password/[secret]").replace(/^\/calendar\/[^/]+\.ics$/, "/calendar/[secret].ics");
}
