import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A PostgreSQL server of a test's own, for tests that stop and start it (a
 * restart under load). It needs the server's programs (Debian's postgresql
 * package) and, as root, the postgres user to run them: CI has both.
 */
export function pgBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(a) - Number(b));
  const bin = versions.length ? path.join(root, versions.at(-1)!, "bin") : null;
  return bin && existsSync(path.join(bin, "pg_ctl")) ? bin : null;
}

export const canRunOwnCluster = pgBinDir() !== null && process.getuid?.() === 0;

export function startOwnCluster(port: number) {
  const bin = pgBinDir()!;
  const dir = mkdtempSync(path.join(tmpdir(), "threshold-faults-pg-"));
  chownSync(dir, uidOf("postgres"), gidOf("postgres"));
  const asPostgres = (command: string) => execFileSync("su", ["postgres", "-c", command], { stdio: "pipe" });
  asPostgres(`${bin}/initdb -D ${dir} -U postgres --auth=trust -E UTF8 --locale=C.UTF-8`);
  const options = `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () => asPostgres(`${bin}/pg_ctl -D ${dir} -l ${dir}/server.log -o '${options}' -w start`);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    /** Stops the server as a failover or a restart would (every connection ended) and starts it again. */
    restart() {
      asPostgres(`${bin}/pg_ctl -D ${dir} -m fast -w stop`);
      start();
    },
    stop() {
      try {
        asPostgres(`${bin}/pg_ctl -D ${dir} -m immediate -w stop`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function uidOf(user: string): number {
  return Number(execFileSync("id", ["-u", user]).toString().trim());
}
function gidOf(user: string): number {
  return Number(execFileSync("id", ["-g", user]).toString().trim());
}
