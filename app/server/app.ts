import compression from "compression";
import path from "node:path";
import { contentSecurityPolicy, newNonce, PERMISSIONS_POLICY } from "./browser-policy";
import { createRequire } from "node:module";
import { randomUUID, timingSafeEqual, createHash } from "node:crypto";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import express, { type NextFunction, type Request, type Response } from "express";
import { withAuditContext } from "../../db/audit-context";
import type { Database } from "../../db/connect";
import { isDatabaseUnavailable } from "../../db/unavailable";
import { resolveSession } from "../services/auth.server";
import { operationsStatus, readiness } from "../services/operations.server";
import type { Clock } from "../lib/clock";
import { ANY_CONTROL_CHARACTER, ESCAPED_CONTROL_CHARACTER } from "../lib/control-characters";
import type { Config } from "./config";
import { makeCookies } from "./cookies";
import { loggablePath } from "./loggable-path";
import { describeError, log } from "./log";
import { remixHandler } from "./remix-handler";
import { enableMetrics, metricsText, observeRequest, routeLabeller } from "./metrics";
import { BodyTooLarge, BodyTooSlow, readBoundedBody } from "./request-body";
import type { Connection } from "../../db/connect";

export { loggablePath };

/** The methods the app answers; anything else (TRACE, PUT, …) is a 405. */
const METHODS = ["GET", "HEAD", "POST"];

const require = createRequire(import.meta.url);
const govukDist = path.join(path.dirname(require.resolve("govuk-frontend/package.json")), "dist/govuk");

// What any page needs to work at all, signed in or not: static files and the route manifest.
const STATIC_PATHS = [/^\/assets\//, /^\/build\//, /^\/govuk\//, /^\/favicon\.ico$/, /^\/__manifest$/];

/** Paths anyone may reach without signing in. */
const PUBLIC_PATHS = [
  ...STATIC_PATHS,
  /^\/sign-in\/?$/,
  /^\/sign-in\/organisation(\/callback)?$/,
  /^\/set-password\/[A-Za-z0-9_-]+$/,
  /^\/healthz$/,
  /^\/readyz$/,
  /^\/status$/,
  /^\/calendar\/[A-Za-z0-9_-]+\.ics$/,
];

/** Where a half-signed-in session (password given, second factor to come) may go: nowhere else. */
const HALF_SIGNED_IN_PATHS = [
  /^\/sign-in\/?$/,
  /^\/sign-in\/two-factor$/,
  /^\/sign-in\/set-up-two-factor$/,
  /^\/sign-out$/,
  /^\/webauthn\/(register-options|register|sign-in-options|sign-in)$/,
];

/** Compares two secrets in constant time (their hashes, so lengths do not leak either). */
function sameSecret(given: string, expected: string) {
  const digest = (v: string) => createHash("sha256").update(v).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The page for a request that could not reach the database: GOV.UK's "service unavailable" pattern. */
const UNAVAILABLE_PAGE = `<!DOCTYPE html>
<html lang="en-GB" class="govuk-template"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sorry, the service is unavailable – Threshold</title><link rel="stylesheet" href="/govuk/govuk-frontend.min.css"></head>
<body class="govuk-template__body"><div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">
<h1 class="govuk-heading-l">Sorry, the service is unavailable</h1>
<p class="govuk-body">Threshold could not reach its database for a moment. Nothing you had already saved is lost.</p>
<p class="govuk-body">Try again in a few seconds. If you were sending a form, go back and send it again.</p>
</main></div></body></html>`;

export interface ServerDeps {
  config: Config;
  db: Database;
  clock: Clock;
  build: ServerBuild;
  /** The pool behind `db`, for the metrics. */
  connection?: Pick<Connection, "poolUse">;
}

export function createApp({ config, db, clock, build, connection }: ServerDeps) {
  const app = express();
  const routeOf = config.metricsToken ? routeLabeller(build) : null;
  if (config.metricsToken) enableMetrics(connection);
  const cookies = makeCookies(config);
  app.disable("x-powered-by");
  // Only the configured number of proxies is believed: the client address is the one
  // the last trusted proxy saw, never whatever a client wrote into X-Forwarded-For.
  app.set("trust proxy", config.trustProxy);

  // One JSON line per request; the path only, never the query string or a body.
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    res.on("finish", () => {
      const ms = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
      log("info", "request", { requestId, method: req.method, path: loggablePath(req.path), status: res.statusCode, ms });
      if (routeOf) observeRequest(routeOf(req.path), req.method, res.statusCode, ms / 1000);
    });
    // Every audit row written while answering carries this request's id.
    withAuditContext({ requestId }, next);
  });

  app.use((_req, res, next) => {
    const nonce = newNonce();
    res.locals.cspNonce = nonce;
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
    res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
    if (config.production) res.setHeader("Strict-Transport-Security", "max-age=31536000");
    next();
  });

  // Requests the app cannot read are refused before anything else looks at them.
  app.use((req, res, next) => {
    if (!METHODS.includes(req.method)) {
      res.status(405).setHeader("Allow", METHODS.join(", ")).type("text/plain").send("Method not allowed");
      return;
    }
    const rawPath = req.originalUrl.split("?")[0];
    // A path that decodes to a control character (queries are each route's to judge).
    let readable = !ESCAPED_CONTROL_CHARACTER.test(rawPath) && !ANY_CONTROL_CHARACTER.test(rawPath);
    try {
      decodeURIComponent(rawPath);
    } catch {
      readable = false;
    }
    if (!readable) {
      res.status(400).type("text/plain").send("Bad request");
      return;
    }
    next();
  });

  // Another site's page may not post here (the form token is checked again in every action).
  app.use((req, res, next) => {
    const origin = req.headers.origin;
    if (req.method !== "GET" && req.method !== "HEAD" && origin && origin !== "null") {
      let host: string | null = null;
      try {
        host = new URL(origin).host;
      } catch {
        host = null;
      }
      if (host !== req.headers.host) {
        res.status(403).type("text/plain").send("Cross-site form submission refused");
        return;
      }
    }
    next();
  });

  // Liveness for a load balancer: this process is up and answering. Cheap: no database.
  app.get("/healthz", (_req, res) => {
    res.status(200).json({ status: "ok" });
  });
  // Readiness: this process can reach its database now; if not, 503 and why, in one JSON line.
  app.get("/readyz", async (_req, res) => {
    const ready = await readiness({ db });
    if (ready.ready) return void res.status(200).json({ status: "ready" });
    log("warn", "not ready", { reason: ready.reason, ...describeError(ready.error) });
    res.status(503).setHeader("Retry-After", "10").json({ status: "unavailable", reason: ready.reason });
  });

  // Prometheus metrics for a scraper holding METRICS_TOKEN; without the setting there are none.
  app.get("/metrics", async (req, res, next) => {
    try {
      if (!config.metricsToken) return void res.status(404).type("text/plain").send("Not found");
      const bearer = /^Bearer (.+)$/.exec(req.get("authorization") ?? "")?.[1];
      if (!bearer || !sameSecret(bearer, config.metricsToken)) {
        return void res.status(401).setHeader("WWW-Authenticate", "Bearer").type("text/plain").send("Unauthorised");
      }
      const metrics = await metricsText({ db, clock });
      res.status(200).setHeader("Cache-Control", "no-store").type(metrics.contentType).send(metrics.text);
    } catch (error) {
      next(error);
    }
  });

  // Text answers (pages, data, scripts, styles, SVG, CSV, calendars) compressed as the browser asks,
  // brotli or gzip. The live page's event stream is left alone so each event reaches the page at once.
  app.use(
    compression({
      filter: (req, res) => !String(res.getHeader("Content-Type") ?? "").startsWith("text/event-stream") && compression.filter(req, res),
    }),
  );

  const cacheStatic = { immutable: true, maxAge: "1y" };
  app.use("/build", express.static(path.resolve("build/client"), cacheStatic));
  app.use("/assets", express.static(path.join(govukDist, "assets"), { maxAge: "1d" }));
  app.use("/govuk", express.static(govukDist, { maxAge: "1d", index: false }));

  // Pages and data hold case details: never kept by the browser or anything between.
  app.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  // Who is asking: resolved once per request and handed to every loader and action.
  app.use(async (req, res, next) => {
    try {
      const token = await cookies.readSession(req.headers.cookie);
      const resolved = token ? await resolveSession({ db, clock, idleMinutes: config.sessionIdleMinutes }, token) : null;
      // A session whose second factor is still to come signs nobody in: it reaches the code page only.
      const session = resolved && !resolved.pending ? resolved : null;
      const halfSignedIn = resolved?.pending ? resolved : null;
      let csrfToken = await cookies.readCsrf(req.headers.cookie);
      if (!csrfToken) {
        csrfToken = cookies.newCsrf();
        res.append("Set-Cookie", await cookies.commitCsrf(csrfToken));
      }
      const isPublic = PUBLIC_PATHS.some((p) => p.test(req.path));
      res.locals.session = session;
      res.locals.halfSignedIn = halfSignedIn;
      res.locals.csrfToken = csrfToken;
      if (token && !resolved) res.append("Set-Cookie", await cookies.destroySession());
      // The body is read here, counted as it arrives and stopped at the limit
      // (a chunked body declares no length), before anything parses it.
      if (req.method === "POST" && (resolved || isPublic)) {
        try {
          res.locals.body = await readBoundedBody(req, { withinMs: config.bodyTimeLimitMs });
        } catch (error) {
          if (!(error instanceof BodyTooLarge) && !(error instanceof BodyTooSlow)) throw error;
          const [status, text] =
            error instanceof BodyTooLarge ? [413, "The request is too large"] : [408, "The request took too long to send"];
          res.status(status).setHeader("Connection", "close").type("text/plain").send(text);
          res.on("finish", () => req.destroy());
          return;
        }
      }

      if (halfSignedIn && !STATIC_PATHS.some((p) => p.test(req.path)) && !HALF_SIGNED_IN_PATHS.some((p) => p.test(req.path))) {
        const target = halfSignedIn.pending === "set_up" ? "/sign-in/set-up-two-factor" : "/sign-in/two-factor";
        if ("_data" in req.query) res.status(204).setHeader("X-Remix-Redirect", target).end();
        else res.redirect(303, target);
        return;
      }
      if (!session && !halfSignedIn && !isPublic) {
        const returnTo = req.method === "GET" && !("_data" in req.query) ? req.originalUrl : "/";
        const target = `/sign-in?returnTo=${encodeURIComponent(returnTo)}`;
        if ("_data" in req.query) {
          res.status(204).setHeader("X-Remix-Redirect", target).end();
        } else {
          res.redirect(303, target);
        }
        return;
      }
      next();
    } catch (error) {
      next(error);
    }
  });

  // The operators' status (JSON): for an administrator signed in, or a monitoring system holding STATUS_TOKEN.
  app.get("/status", async (req, res, next) => {
    try {
      const bearer = /^Bearer (.+)$/.exec(req.get("authorization") ?? "")?.[1];
      const byToken = Boolean(config.statusToken && bearer && sameSecret(bearer, config.statusToken));
      const user = (res.locals.session as Awaited<ReturnType<typeof resolveSession>>)?.user;
      if (!byToken && !user) return void res.status(401).json({ status: "unauthorised" });
      if (!byToken && user?.role !== "admin") return void res.status(403).json({ status: "forbidden" });
      res.status(200).json(await operationsStatus({ db, clock }));
    } catch (error) {
      next(error);
    }
  });

  const settings = {
    frontDoor: config.frontDoor,
    appUrl: config.appUrl,
    sessionIdleMinutes: config.sessionIdleMinutes,
    mailboxEnabled: !config.smtpUrl,
    mailboxPage: config.mailboxPage,
    maskMailboxLinks: config.production,
    allowHttpLinks: !config.production,
    challengeStageDays: config.challengeStageDays,
    twoFactorByDefault: config.production,
    passkeysOnRequestOrigin: !config.production,
  };

  app.all(
    "*",
    remixHandler({
      build,
      mode: config.production ? "production" : "development",
      getLoadContext(req, res): AppLoadContext {
        const session = res.locals.session as Awaited<ReturnType<typeof resolveSession>>;
        const halfSignedIn = res.locals.halfSignedIn as Awaited<ReturnType<typeof resolveSession>>;
        return {
          db,
          clock,
          settings,
          user: session?.user ?? null,
          sessionId: session?.sessionId ?? null,
          halfSignedIn: halfSignedIn
            ? {
                sessionId: halfSignedIn.sessionId,
                userId: halfSignedIn.user.id,
                email: halfSignedIn.user.email,
                pending: halfSignedIn.pending!,
              }
            : null,
          ip: req.ip ?? null,
          csrfToken: res.locals.csrfToken as string,
          requestId: res.locals.requestId as string,
          cspNonce: res.locals.cspNonce as string,
          cookies,
        };
      },
    }),
  );

  // Anything thrown outside Remix (a malformed cookie or URL): never a stack trace to the user.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const unavailable = isDatabaseUnavailable(error);
    const status = unavailable
      ? 503
      : typeof error === "object" && error && "status" in error && (error as { status: number }).status < 500
        ? (error as { status: number }).status
        : 500;
    log(status >= 500 && !unavailable ? "error" : "warn", unavailable ? "database unavailable" : "unhandled", {
      requestId: res.locals.requestId,
      method: req.method,
      path: loggablePath(req.path),
      status,
      ...describeError(error),
    });
    if (res.headersSent) return void res.end();
    if (unavailable) {
      // Before Remix could draw a page (the session could not be read): a plain page that says to wait.
      res.status(503).setHeader("Retry-After", "10").type("html").send(UNAVAILABLE_PAGE);
      return;
    }
    res
      .status(status)
      .type("text/plain")
      .send(status === 400 ? "Bad request" : "Sorry, there is a problem with the service");
  });

  return app;
}
