import type { IncomingMessage } from "node:http";

/** The most any request may send: forms are small, and nothing here takes uploads. */
export const MAX_BODY_BYTES = 1_000_000;

/** How long a body may take to arrive: a form is sent in well under a second; a trickle holding a connection open is cut. */
export const BODY_TIME_LIMIT_MS = 20_000;

export class BodyTooLarge extends Error {
  constructor() {
    super("The request body is too large");
  }
}

export class BodyTooSlow extends Error {
  constructor() {
    super("The request body took too long to arrive");
  }
}

/**
 * Reads a request's body as it arrives and stops at `limit` bytes, whatever
 * Content-Length says (a chunked body has none), so an oversized body is
 * refused before it is held in memory or parsed; and stops when the whole body
 * has not arrived within `withinMs` (a body sent a byte at a time).
 */
export function readBoundedBody(
  req: IncomingMessage,
  { limit = MAX_BODY_BYTES, withinMs = BODY_TIME_LIMIT_MS }: { limit?: number; withinMs?: number } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      cleanup();
      req.pause();
      reject(new BodyTooSlow());
    }, withinMs);
    const cleanup = () => {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}
