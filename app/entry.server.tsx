import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { describeError, log } from "./server/log";
import { loggablePath } from "./server/loggable-path";
import { NonceContext } from "./components/nonce";

/**
 * Each page is rendered whole, to a string: no route streams (no deferred
 * data), and rendering to a string costs less than piping React's stream
 * through Node and web streams (measured: ADR 017).
 */
export default function handleRequest(
  _request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  const html = renderToString(
    <NonceContext.Provider value={nonce}>
      <RemixServer context={remixContext} url={_request.url} nonce={nonce} />
    </NonceContext.Provider>,
  );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return new Response(`<!DOCTYPE html>${html}`, { headers: responseHeaders, status: responseStatusCode });
}

/** One JSON line per failure: the error's class and code and the request id, never its message. */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  log("error", "unhandled", {
    requestId: (context as Partial<AppLoadContext>).requestId,
    method: request.method,
    path: loggablePath(new URL(request.url).pathname),
    ...describeError(error),
  });
};
