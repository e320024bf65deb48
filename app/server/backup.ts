import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import type { Connection } from "../../db/connect";
import { describeError, log } from "./log";

/**
 * Backups of the embedded database while the app runs. Only the running app
 * may open its data directory, so `npm run backup` asks it: it writes what it
 * wants into the request file and sends SIGUSR2 to the process named in the
 * running file; the app dumps the data directory (PGlite's own dump, between
 * queries) to a partial file and renames it into place, or writes why not.
 */
export const runningFile = (dataDir: string) => `${dataDir}.pid`;
export const requestFile = (dataDir: string) => `${dataDir}.backup-request.json`;
export const errorFile = (out: string) => `${out}.error`;

/** The pid of the app holding `dataDir`, when one is running. */
export function runningApp(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(runningFile(dataDir), "utf8").trim());
    if (!Number.isInteger(pid) || pid <= 0) return null;
    process.kill(pid, 0);
    // A pid reused by something else since (a stale file after a crash) is not signalled.
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return /start\.(mjs|js)/.test(command) ? pid : null;
  } catch {
    return null;
  }
}

/** In the app on the embedded database: says it holds `dataDir` and answers backup requests. Returns the clean-up. */
export function answerBackupRequests(dataDir: string, connection: Connection): () => void {
  writeFileSync(runningFile(dataDir), String(process.pid));
  let busy = false;
  const onSignal = () => {
    if (busy) return;
    busy = true;
    void (async () => {
      let out: string | null = null;
      try {
        out = (JSON.parse(readFileSync(requestFile(dataDir), "utf8")) as { out: string }).out;
        rmSync(requestFile(dataDir), { force: true });
        const dump = await connection.dumpDataDir!();
        writeFileSync(`${out}.partial`, dump);
        renameSync(`${out}.partial`, out);
        log("info", "backup written", { bytes: dump.byteLength });
      } catch (error) {
        log("error", "backup failed", describeError(error));
        if (out) writeFileSync(errorFile(out), error instanceof Error ? error.message : String(error));
      } finally {
        busy = false;
      }
    })();
  };
  process.on("SIGUSR2", onSignal);
  return () => {
    process.off("SIGUSR2", onSignal);
    if (existsSync(runningFile(dataDir)) && readFileSync(runningFile(dataDir), "utf8").trim() === String(process.pid)) {
      rmSync(runningFile(dataDir), { force: true });
    }
  };
}
