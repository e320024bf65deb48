import { createRequestHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import { withRouteEdge } from "./route-edge";
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";

/**
 * Hands an Express request to Remix. The body was already read, bounded, by
 * the server (see request-body.ts), so Remix gets those bytes rather than the
 * socket: nothing past the limit is ever read.
 */
export function remixHandler(options: {
  build: ServerBuild;
  mode: "production" | "development";
  getLoadContext: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext;
}) {
  const handle = createRequestHandler(withRouteEdge(options.build), options.mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    let request: Request;
    try {
      request = toFetchRequest(req, res);
    } catch {
      res.status(400).type("text/plain").send("Bad request");
      return;
    }
    try {
      const response = await handle(request, options.getLoadContext(req, res));
      await sendResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

function toFetchRequest(req: ExpressRequest, res: ExpressResponse): Request {
  // `req.protocol` and `req.hostname` follow the "trust proxy" setting.
  const port = (req.get("host") ?? "").split(":")[1];
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  let controller: AbortController | null = new AbortController();
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  const body = res.locals.body as Buffer | undefined;
  return new Request(url.href, {
    method: req.method,
    headers,
    signal: controller.signal,
    ...(req.method !== "GET" && req.method !== "HEAD" && body ? { body: body as unknown as BodyInit } : {}),
  });
}

async function sendResponse(res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  // A route's own header replaces the server's default (a resource's policy, caching); cookies add up.
  for (const [key, value] of response.headers.entries()) {
    if (key.toLowerCase() === "set-cookie") res.append(key, value);
    else res.setHeader(key, value);
  }
  const type = response.headers.get("Content-Type") ?? "";
  if (/text\/event-stream/i.test(type)) res.flushHeaders();
  // A page is one string already: written at once, it skips a web-stream round trip per chunk.
  if (response.body && /^text\/html/i.test(type)) res.end(Buffer.from(await response.arrayBuffer()));
  else if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
