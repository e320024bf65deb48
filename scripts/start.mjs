/**
 * npm start (and npm run worker, with "worker"): build if a source changed,
 * then run the compiled server.
 */
import { pathToFileURL } from "node:url";
import path from "node:path";
import { buildAll, isStale } from "./build.mjs";

const entry = process.argv[2] === "worker" ? "worker" : "start";
if (isStale()) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "building" })}\n`);
  await buildAll();
}
await import(pathToFileURL(path.resolve(`build/server/${entry}.js`)).href);
