import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import pg from "pg";
import { DEMO_PASSWORD } from "../../app/seed/demo";

/**
 * Real app instances for the tests and the benchmark that need more than one:
 * `npm start` (or `npm run worker`) as a child process, a free port, a scratch
 * PostgreSQL database, and a signed-in cookie.
 */

/** A port nothing is listening on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A fresh database on the server of `adminUrl`, dropped (with its connections) by `drop`. */
export async function scratchDatabase(adminUrl: string, prefix: string) {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(query);
    await client.end();
  };
  await admin(`create database ${name}`);
  return { url: `${adminUrl.replace(/\/[^/]*$/, "")}/${name}`, drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/**
 * Starts `scripts/start.mjs` (the compiled server, as `npm start` runs it) with
 * the environment given; with a port, resolves once /healthz answers.
 */
export async function startInstance(env: Record<string, string>, options: { port?: number; args?: string[]; timeoutMs?: number } = {}) {
  const child = spawn(process.execPath, ["scripts/start.mjs", ...(options.args ?? [])], {
    env: { ...process.env, LOG_LEVEL: "warn", ...env, ...(options.port ? { PORT: String(options.port) } : {}) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (!options.port) return child;
  const started = Date.now();
  while (Date.now() - started < (options.timeoutMs ?? 120_000)) {
    if (child.exitCode !== null) throw new Error(`the instance on ${options.port} stopped during start-up`);
    try {
      if ((await fetch(`http://127.0.0.1:${options.port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the instance on ${options.port} did not start`);
}

export function stopInstance(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** Signs in at an instance and returns the cookies a browser would then send. */
export async function signedInCookie(base: string, email: string): Promise<string> {
  const page = await fetch(`${base}/sign-in`);
  const jar = new Map(page.headers.getSetCookie().map((c) => [c.split("=")[0]!, c.split(";")[0]!]));
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const signed = await fetch(`${base}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: [...jar.values()].join("; "), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrf, email, password: DEMO_PASSWORD, returnTo: "/" }).toString(),
  });
  if (signed.status !== 302) throw new Error(`sign-in answered ${signed.status}`);
  for (const c of signed.headers.getSetCookie()) jar.set(c.split("=")[0]!, c.split(";")[0]!);
  return [...jar.values()].join("; ");
}

/** A started instance's processes: the one started, and every process it started in turn (web processes). */
export function processTree(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    return [pid, ...children.flatMap(processTree)];
  } catch {
    return [];
  }
}

/** A process's memory in MB: resident now (VmRSS) or at its peak (VmHWM). */
export function memoryMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}
