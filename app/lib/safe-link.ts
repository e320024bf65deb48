import { ANY_CONTROL_CHARACTER } from "./control-characters";

/**
 * Links people type (a panel's meeting link) are shown to everyone invited, so
 * only web addresses are ever taken or shown: `https:`, and `http:` outside
 * production. The URL parser decides, not a pattern, so `JaVaScRiPt:`,
 * leading spaces, tabs and entity tricks are all judged as a browser would.
 */
export function safeLink(value: string | null | undefined, options: { allowHttp: boolean }): string | null {
  if (typeof value !== "string") return null;
  const text = value.trim();
  if (!text || ANY_CONTROL_CHARACTER.test(text) || /\s/.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const allowed = url.protocol === "https:" || (options.allowHttp && url.protocol === "http:");
  if (!allowed || !url.hostname) return null;
  return url.href;
}

/** Whether plain `http:` links are allowed: everywhere but production. */
export function allowHttpLinks(env: { NODE_ENV?: string } = process.env): boolean {
  return env.NODE_ENV !== "production";
}

/**
 * Where to send someone back to after signing in: a path on this site only.
 * The value is parsed against the app's own address and must keep its origin;
 * control characters, backslashes and anything that would come out as a
 * protocol-relative address (`//host`) fall back to the home page.
 */
export function sameOriginPath(value: string | null | undefined, origin: string): string {
  if (typeof value !== "string" || !value.startsWith("/") || ANY_CONTROL_CHARACTER.test(value) || value.includes("\\")) return "/";
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return "/";
  }
  if (url.origin !== new URL(origin).origin) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("//") ? "/" : path;
}
