/**
 * Builds what `npm start` runs: the Remix app (build/index.js, build/client)
 * and the server itself compiled to JavaScript (build/server/start.js and
 * build/server/worker.js), so production runs no TypeScript loader.
 * With --if-stale, builds only when a source is newer than the build.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const SOURCES = ["app", "domain", "db", "machines", "emails"];
const OUTPUTS = ["build/index.js", "build/server/start.js", "build/server/worker.js"];

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

export function isStale() {
  if (OUTPUTS.some((f) => !existsSync(f))) return true;
  const sources = Math.max(
    ...SOURCES.filter((d) => existsSync(d)).map(newest),
    statSync("remix.config.js").mtimeMs,
    statSync("package-lock.json").mtimeMs,
  );
  return sources > Math.min(...OUTPUTS.map((f) => statSync(f).mtimeMs));
}

export async function buildAll() {
  // Always the production build, whatever NODE_ENV the caller runs under (a development build's JSX does not run under production React).
  const remix = spawnSync(process.execPath, [path.resolve("node_modules/@remix-run/dev/dist/cli.js"), "build"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (remix.status !== 0) throw new Error("The Remix build failed");
  await build({
    entryPoints: { start: "app/server/start.ts", worker: "app/server/worker.ts" },
    outdir: "build/server",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Dependencies load from node_modules as they are; only our code is compiled.
    packages: "external",
    sourcemap: "linked",
    logLevel: "warning",
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!process.argv.includes("--if-stale") || isStale()) await buildAll();
}
