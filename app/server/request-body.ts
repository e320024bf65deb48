import type { IncomingMessage } from "node:http";

/** The most any request may send: forms are small, and nothing here takes uploads. */
export const MAX_BODY_BYTES = 1_000_000;

export class BodyTooLarge extends Error {
  constructor() {
    super("The request body is too large");
  }
}

/**
 * Reads a request's body as it arrives and stops at `limit` bytes, whatever
 * Content-Length says (a chunked body has none), so an oversized body is
 * refused before it is held in memory or parsed.
 */
export function readBoundedBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
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
