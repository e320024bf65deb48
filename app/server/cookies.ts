import { randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import type { Config } from "./config";

/** The session and anti-forgery cookies, signed with SESSION_SECRET. */
export function makeCookies(config: Config) {
  const common = {
    httpOnly: true,
    sameSite: "lax" as const,
    secure: config.production,
    path: "/",
    secrets: [config.sessionSecret],
  };
  // The __Host- prefix pins a cookie to this host over HTTPS; it needs Secure, so production only.
  const prefix = config.production ? "__Host-" : "";
  const session = createCookie(`${prefix}threshold_session`, common);
  const csrf = createCookie(`${prefix}threshold_csrf`, common);
  return {
    async readSession(header: string | undefined): Promise<string | null> {
      const value = await session.parse(header ?? null);
      return typeof value === "string" ? value : null;
    },
    commitSession: (token: string) => session.serialize(token),
    destroySession: () => session.serialize("", { maxAge: 0 }),
    async readCsrf(header: string | undefined): Promise<string | null> {
      const value = await csrf.parse(header ?? null);
      return typeof value === "string" && value.length >= 32 ? value : null;
    },
    newCsrf: () => randomBytes(24).toString("base64url"),
    commitCsrf: (token: string) => csrf.serialize(token),
    rotateCsrf: () => csrf.serialize(randomBytes(24).toString("base64url")),
  };
}
export type Cookies = ReturnType<typeof makeCookies>;
