import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { connectDatabase, type Connection } from "../db/connect";
import { errorFile, requestFile, runningApp } from "../app/server/backup";
import { loadConfig, type Config } from "../app/server/config";

/**
 * npm run backup [-- FILE]: a backup of DATABASE_URL (pg_dump's custom format)
 * or of the embedded database in DATA_DIR (PGlite's dump of its data
 * directory, asked of the running app if one holds it), by default into
 * backups/. npm run restore -- FILE [--force]: that backup into DATABASE_URL
 * (which must be empty unless --force) or into DATA_DIR (moved aside first,
 * with --force, if it holds data). The app must not be running on the target.
 */
async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const force = rest.includes("--force");
  const file = rest.find((a) => !a.startsWith("--"));
  const config = loadConfig();
  if (command === "backup") return backup(config, file);
  if (command === "restore" && file) return restore(config, path.resolve(file), force);
  console.error("Usage: npm run backup [-- FILE] | npm run restore -- FILE [--force]");
  process.exitCode = 2;
}

function run(program: string, args: string[]) {
  const done = spawnSync(program, args, { stdio: ["ignore", "inherit", "inherit"] });
  if (done.error) throw new Error(`${program} could not be run (${done.error.message}): install the PostgreSQL client tools`);
  if (done.status !== 0) throw new Error(`${program} stopped with exit code ${done.status}`);
}

async function backup(config: Config, file: string | undefined) {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const out = path.resolve(file ?? path.join("backups", `threshold-${stamp}.${config.databaseUrl ? "dump" : "tar.gz"}`));
  mkdirSync(path.dirname(out), { recursive: true });
  const started = Date.now();
  if (config.databaseUrl) {
    // One consistent snapshot of the database, taken while the app goes on writing.
    run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", `--file=${out}`, config.databaseUrl]);
  } else if (runningApp(config.dataDir)) {
    await askRunningApp(config.dataDir, out);
  } else if (!existsSync(config.dataDir)) {
    throw new Error(`No embedded database in ${config.dataDir}: nothing to back up`);
  } else {
    const connection = await connectDatabase({ dataDir: config.dataDir });
    try {
      writeFileSync(out, await connection.dumpDataDir!());
    } finally {
      await connection.close();
    }
  }
  console.log(`Backup written to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function askRunningApp(dataDir: string, out: string) {
  rmSync(out, { force: true });
  rmSync(errorFile(out), { force: true });
  writeFileSync(requestFile(dataDir), JSON.stringify({ out }));
  process.kill(runningApp(dataDir)!, "SIGUSR2");
  const started = Date.now();
  while (Date.now() - started < 10 * 60_000) {
    if (existsSync(out)) return;
    if (existsSync(errorFile(out))) {
      const why = readFileSync(errorFile(out), "utf8");
      rmSync(errorFile(out), { force: true });
      throw new Error(`The running app could not write the backup: ${why}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("The running app did not write the backup within 10 minutes");
}

async function restore(config: Config, file: string, force: boolean) {
  if (!existsSync(file)) throw new Error(`No backup at ${file}`);
  let connection: Connection;
  if (config.databaseUrl) {
    connection = await connectDatabase({ databaseUrl: config.databaseUrl });
    const holdsData = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'public'`
      .execute(connection.db)
      .then((r) => r.rows[0]!.n > 0);
    await connection.close();
    if (holdsData && !force)
      throw new Error("The database holds tables already: restore into an empty database, or add --force to replace them");
    run("pg_restore", [
      "--no-owner",
      "--no-privileges",
      "--single-transaction",
      "--exit-on-error",
      ...(holdsData ? ["--clean", "--if-exists"] : []),
      `--dbname=${config.databaseUrl}`,
      file,
    ]);
    connection = await connectDatabase({ databaseUrl: config.databaseUrl });
  } else {
    if (runningApp(config.dataDir)) throw new Error(`The app is running on ${config.dataDir}: stop it before restoring`);
    if (existsSync(config.dataDir) && readdirSync(config.dataDir).length) {
      if (!force) throw new Error(`${config.dataDir} holds a database already: add --force to move it aside and restore`);
      const aside = `${config.dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
      renameSync(config.dataDir, aside);
      console.log(`The database that was there is kept in ${aside}`);
    }
    connection = await connectDatabase({ dataDir: config.dataDir, loadDataDir: new Blob([readFileSync(file)]) });
  }
  try {
    const waiting = await connection.db
      .selectFrom("outbox")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("status", "in", ["pending", "sending"])
      .executeTakeFirstOrThrow();
    console.log(`Restored from ${file}.`);
    if (waiting.n) {
      console.log(
        `${waiting.n} emails were waiting when the backup was taken: they are sent when the app starts, and any of them that left after the backup will reach its recipient a second time.`,
      );
    }
  } finally {
    await connection.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
