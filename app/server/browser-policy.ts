import { randomBytes } from "node:crypto";

/**
 * What the browser may do with our pages. Scripts run only from our origin or
 * with this response's nonce (Remix's own inline scripts carry it); styles only
 * from our stylesheets; forms post only to us; nothing frames us; features the
 * app never uses are switched off.
 */
export function newNonce() {
  return randomBytes(16).toString("base64");
}

export function contentSecurityPolicy(nonce: string) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
  ].join("; ");
}

export const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "camera=()",
  "display-capture=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "payment=()",
  "usb=()",
  "interest-cohort=()",
].join(", ");
