import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import type { ServerBuild } from "@remix-run/node";
import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues } from "prom-client";
import type { Connection, Database } from "../../db/connect";
import { openLiveStreams } from "../lib/panel-events";
import type { Clock } from "../lib/clock";
import { operationsStatus, readiness } from "../services/operations.server";

/**
 * Prometheus metrics (off unless METRICS_TOKEN is set). Each process counts
 * its own requests, deliveries, live streams and connections; a scrape of any
 * web process answers for all of them (the primary sums its web processes'
 * figures) and adds what the database says once: the email backlog, job lag
 * and whether the database answers. Labels are route patterns, never paths:
 * no reference, secret or query ever becomes a label.
 */
const processRegistry = new Registry();
let defaultsOn = false;

const requestSeconds = new Histogram({
  name: "threshold_http_request_duration_seconds",
  help: "Time to answer a request, by route pattern, method and status",
  labelNames: ["route", "method", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [processRegistry],
});

const deliveries = new Counter({
  name: "threshold_email_deliveries_total",
  help: "Emails handed to the mail relay (sent) or refused by it (failed, to be retried) by this process's worker",
  labelNames: ["outcome"] as const,
  registers: [processRegistry],
});

let poolUse: Connection["poolUse"] | null = null;

new Gauge({
  name: "threshold_live_streams_open",
  help: "Live panel pages open now",
  registers: [processRegistry],
  collect() {
    this.set(openLiveStreams());
  },
});

new Gauge({
  name: "threshold_db_pool_connections",
  help: "Database connections held by the pool, by state (total, idle, waiting for one)",
  labelNames: ["state"] as const,
  registers: [processRegistry],
  collect() {
    const use = poolUse?.() ?? { total: 0, idle: 0, waiting: 0 };
    for (const [state, value] of Object.entries(use)) this.set({ state }, value);
  },
});

/** Starts the process figures (memory, CPU, event loop) once, and remembers this process's pool. */
export function enableMetrics(connection?: Pick<Connection, "poolUse">) {
  if (connection) poolUse = connection.poolUse;
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: processRegistry });
}

export function countDeliveries(result: { sent: number; failed: number }) {
  if (result.sent) deliveries.inc({ outcome: "sent" }, result.sent);
  if (result.failed) deliveries.inc({ outcome: "failed" }, result.failed);
}

/** The route pattern a path matches ("routes/cases.$reference"), for labels. */
export function routeLabeller(build: ServerBuild) {
  const tree = (parentId: string | undefined): AgnosticRouteObject[] =>
    Object.values(build.routes)
      .filter((r) => r.parentId === parentId)
      .map((r) =>
        r.index
          ? { id: r.id, index: true, path: r.path, caseSensitive: r.caseSensitive }
          : { id: r.id, path: r.path, caseSensitive: r.caseSensitive, children: tree(r.id) },
      );
  const routes = tree(undefined);
  return (path: string) => {
    if (/^\/(assets|build|govuk)\//.test(path) || path === "/favicon.ico") return "static";
    if (/^\/(healthz|readyz|status|metrics)$/.test(path)) return path;
    const matches = matchRoutes(routes, path);
    return matches?.length ? matches[matches.length - 1].route.id! : "unmatched";
  };
}

export function observeRequest(route: string, method: string, status: number, seconds: number) {
  if (defaultsOn) requestSeconds.observe({ route, method, status: String(status) }, seconds);
}

// Figures the database holds: read once per scrape by the process answering it.
const stateRegistry = new Registry();
const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [stateRegistry] });
const outboxEmails = gauge("threshold_outbox_emails", "Emails in the outbox by status (waiting, retrying, failed for good)", ["status"]);
const oldestWaiting = gauge("threshold_outbox_oldest_waiting_seconds", "Age of the oldest email waiting to be sent (0 when none waits)");
const lastDelivered = gauge("threshold_outbox_last_delivered_timestamp_seconds", "When an email was last delivered (Unix time)");
const jobsLate = gauge("threshold_jobs_late", "Due jobs (reminders, cut-offs, timers) not run five minutes after their time");
const jobLag = gauge("threshold_job_lag_seconds", "How long the oldest late job has been due (0 when none is late)");
const workerSilence = gauge("threshold_worker_last_heartbeat_seconds", "Seconds since the most recent background worker's heartbeat");
const databaseUp = gauge("threshold_database_up", "1 when this process can reach its database, 0 when it cannot");

async function stateMetrics(deps: { db: Database; clock: Clock }) {
  const ready = await readiness(deps);
  databaseUp.set(ready.ready ? 1 : 0);
  if (ready.ready) {
    const status = await operationsStatus(deps);
    outboxEmails.set({ status: "waiting" }, status.outbox.pending);
    outboxEmails.set({ status: "retrying" }, status.outbox.retrying);
    outboxEmails.set({ status: "failed" }, status.outbox.failed);
    oldestWaiting.set(status.outbox.oldestPendingSeconds ?? 0);
    lastDelivered.set(status.outbox.lastDeliveredAt ? Date.parse(status.outbox.lastDeliveredAt) / 1000 : 0);
    jobsLate.set(status.jobs.late);
    jobLag.set(status.jobs.late ? (status.jobs.oldestDueSeconds ?? 0) : 0);
    const beats = status.workers.map((w) => w.lastBeatSecondsAgo);
    if (beats.length) workerSilence.set(Math.min(...beats));
    else workerSilence.reset();
  }
  return stateRegistry.metrics();
}

const COLLECT = "threshold:metrics:collect";
const COLLECTED = "threshold:metrics:collected";
const ASK = "threshold:metrics:ask";
const ANSWER = "threshold:metrics:answer";
interface Message {
  type: string;
  id: string;
  metrics?: MetricObjectWithValues<never>[];
  text?: string;
}
const isMessage = (m: unknown): m is Message => typeof m === "object" && m !== null && "type" in m && "id" in m;

/** In a web process of several: answers the primary's call for this process's figures. */
export function answerPrimaryForMetrics() {
  process.on("message", (message: unknown) => {
    if (!isMessage(message) || message.type !== COLLECT) return;
    void processRegistry.getMetricsAsJSON().then((metrics) => process.send?.({ type: COLLECTED, id: message.id, metrics }));
  });
}

/** In the primary of several web processes: gathers every process's figures, its own included, for whichever asks. */
export function gatherMetricsForWebProcesses() {
  const waiting = new Map<string, (metrics: MetricObjectWithValues<never>[]) => void>();
  cluster.on("message", (worker, message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === COLLECTED) waiting.get(`${worker.id}:${message.id}`)?.(message.metrics ?? []);
    if (message.type !== ASK) return;
    const children = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined && !w.isDead());
    const id = randomUUID();
    const fromEach = children.map(
      (child) =>
        new Promise<MetricObjectWithValues<never>[]>((resolve) => {
          const key = `${child!.id}:${id}`;
          const timer = setTimeout(() => resolve([]), 2000);
          waiting.set(key, (metrics) => {
            clearTimeout(timer);
            waiting.delete(key);
            resolve(metrics);
          });
          child!.send({ type: COLLECT, id });
        }),
    );
    void Promise.all([...fromEach, processRegistry.getMetricsAsJSON()])
      .then((all) => AggregatorRegistry.aggregate(all as MetricObjectWithValues<never>[][]).metrics())
      .then((text) => worker.send({ type: ANSWER, id: message.id, text }));
  });
}

function allProcessesMetrics(): Promise<string> {
  if (!cluster.isWorker || !process.send) return processRegistry.metrics();
  const id = randomUUID();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      process.off("message", onAnswer);
      void processRegistry.metrics().then(resolve);
    }, 3000);
    const onAnswer = (message: unknown) => {
      if (!isMessage(message) || message.type !== ANSWER || message.id !== id) return;
      clearTimeout(timer);
      process.off("message", onAnswer);
      resolve(message.text ?? "");
    };
    process.on("message", onAnswer);
    process.send!({ type: ASK, id });
  });
}

/** The scrape: every process's figures, then the database's. */
export async function metricsText(deps: { db: Database; clock: Clock }) {
  const [processes, state] = await Promise.all([allProcessesMetrics(), stateMetrics(deps)]);
  return { contentType: processRegistry.contentType, text: `${processes.trimEnd()}\n${state}` };
}
