import pg from "pg";
import { PANEL_LIVE_CHANNEL } from "../../db/queries/live";
import { emitAccessChange, emitPanelChange, INSTANCE } from "../lib/panel-events";
import { log } from "./log";

/**
 * On PostgreSQL, one connection per instance LISTENs for panel changes made
 * by other instances and announces them to this instance's live pages. It
 * reconnects after a dropped connection; a change missed meanwhile shows on
 * the next one (each message carries the whole view).
 */
export function startLiveListener(databaseUrl: string): { stop(): Promise<void> } {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async () => {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on("notification", (message) => {
      // "<instance>:<panel id>" for a panel's change, "<instance>:user:<user id>" for a person's access.
      const parts = (message.payload ?? "").split(":");
      const id = Number(parts.at(-1));
      if (parts[0] === INSTANCE || !Number.isSafeInteger(id) || id <= 0) return;
      if (parts.length === 3 && parts[1] === "user") emitAccessChange(id);
      else if (parts.length === 2) emitPanelChange(id);
    });
    next.on("error", (error) => {
      log("warn", "live listener lost its connection", { error: error.message });
      void next.end().catch(() => {});
      if (client === next) client = null;
      schedule();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${PANEL_LIVE_CHANNEL}`);
      if (stopped) return void (await next.end());
      client = next;
    } catch (error) {
      log("warn", "live listener could not connect", { error: error instanceof Error ? error.message : String(error) });
      void next.end().catch(() => {});
      schedule();
    }
  };
  const schedule = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, 1000);
  };
  void connect();
  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
