import { BODY_TIME_LIMIT_MS } from "./request-body";
import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";
import { stageDays } from "../lib/challenge-deadlines";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  SESSION_SECRET: z.string().min(16, "SESSION_SECRET must be at least 16 characters").optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  APP_URL: z.string().url().optional(),
  SMTP_URL: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).default("Threshold <no-reply@threshold.localhost>"),
  FRONT_DOOR_PHONE: z.string().default("0300 123 5012"),
  FRONT_DOOR_EMAIL: z.string().default("frontdoor@example.org"),
  SEED_DEMO: z.enum(["auto", "always", "never"]).default("auto"),
  // How many proxies in front of the app to believe about the client's address ("true" is one).
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|[0-9])$/, "TRUST_PROXY must be false, true (one proxy) or a number of proxies from 0 to 9")
    .default("false"),
  RUN_WORKER: z.enum(["true", "false"]).default("true"),
  // Web processes sharing the port on PostgreSQL (default: one per core); the embedded database has one.
  WEB_CONCURRENCY: z.coerce.number().int().min(1, "WEB_CONCURRENCY must be at least 1").max(64).optional(),
  // Years a case is kept after it closes before its personal details and free text are removed.
  RETENTION_YEARS: z.coerce.number().int().min(1, "RETENTION_YEARS must be at least 1").max(100).default(7),
  // The mailbox page (kept and failed emails): on outside production, off in production unless set to true.
  MAILBOX_ENABLED: z.enum(["true", "false"]).optional(),
  // A secret that lets a monitoring system read /status without signing in (Authorization: Bearer …).
  STATUS_TOKEN: z.string().min(24, "STATUS_TOKEN must be at least 24 characters").optional(),
  // Turns on /metrics (Prometheus) for a scraper sending Authorization: Bearer …; off when unset.
  METRICS_TOKEN: z.string().min(24, "METRICS_TOKEN must be at least 24 characters").optional(),
  CHALLENGE_STAGE_DAYS: z
    .string()
    .regex(/^\s*\d+\s*(,\s*\d+\s*){4}$/, "CHALLENGE_STAGE_DAYS must be five whole numbers of working days, like 2,3,5,5,10")
    .optional(),
});

export interface Config {
  production: boolean;
  port: number;
  databaseUrl?: string;
  dataDir: string;
  sessionSecret: string;
  sessionIdleMinutes: number;
  appUrl: string;
  smtpUrl?: string;
  mailFrom: string;
  frontDoor: { phone: string; email: string };
  seedDemo: "auto" | "always" | "never";
  /** Proxy hops trusted for the client address: 0 means X-Forwarded-For is ignored. */
  trustProxy: number;
  runWorker: boolean;
  /** Web processes to run: WEB_CONCURRENCY, else one per core on PostgreSQL; always one on the embedded database. */
  webConcurrency: number;
  /** WEB_CONCURRENCY as set, to say when the embedded database overrides it. */
  webConcurrencyAsked: number | null;
  /** Years after closing before a case is anonymised. */
  retentionYears: number;
  /** Whether administrators may open the mailbox page. */
  mailboxPage: boolean;
  /** Working days each challenge stage has to respond (stages 1–5). */
  challengeStageDays: number[];
  /** How long a request body may take to arrive before the connection is cut. */
  bodyTimeLimitMs: number;
  /** The bearer token that reads /status without a session, if set. */
  statusToken?: string;
  /** The bearer token that reads /metrics; without it there are no metrics. */
  metricsToken?: string;
}

export class ConfigError extends Error {}

/** Reads configuration from the environment and stops with a clear message when it is wrong. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  if (production && !e.SESSION_SECRET) {
    throw new ConfigError("SESSION_SECRET is required in production: set it to a long random string (for example `openssl rand -hex 32`).");
  }
  return {
    production,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    // Outside production a fixed development secret keeps the quick start to one command.
    sessionSecret: e.SESSION_SECRET ?? "threshold-development-secret-not-for-production",
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    appUrl: (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    frontDoor: { phone: e.FRONT_DOOR_PHONE, email: e.FRONT_DOOR_EMAIL },
    seedDemo: e.SEED_DEMO,
    trustProxy: e.TRUST_PROXY === "true" ? 1 : e.TRUST_PROXY === "false" ? 0 : Number(e.TRUST_PROXY),
    runWorker: e.RUN_WORKER === "true",
    webConcurrency: e.DATABASE_URL ? (e.WEB_CONCURRENCY ?? availableParallelism()) : 1,
    webConcurrencyAsked: e.WEB_CONCURRENCY ?? null,
    retentionYears: e.RETENTION_YEARS,
    mailboxPage: e.MAILBOX_ENABLED ? e.MAILBOX_ENABLED === "true" : !production,
    challengeStageDays: stageDays(e.CHALLENGE_STAGE_DAYS),
    bodyTimeLimitMs: BODY_TIME_LIMIT_MS,
    statusToken: e.STATUS_TOKEN,
    metricsToken: e.METRICS_TOKEN,
  };
}
