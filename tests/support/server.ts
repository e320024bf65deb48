import { afterAll, beforeAll } from "vitest";
import type { AddressInfo } from "node:net";
import { hashSync } from "@node-rs/argon2";
import { createApp } from "../../app/server/app";
import { loadBuild } from "../../app/server/boot";
import { loadConfig, type Config } from "../../app/server/config";
import type { Clock } from "../../app/lib/clock";
import { systemClock } from "../../app/lib/clock";
import type { Database } from "../../db/connect";
import { DEMO_PASSWORD, seedDemo } from "../../app/seed/demo";

let demoHash: string | undefined;

/** Seeds the demo organisation and users (password `threshold-demo`). */
export async function seedDemoUsers(db: Database) {
  demoHash ??= hashSync(DEMO_PASSWORD);
  await seedDemo(db, { passwordHash: demoHash, now: new Date() });
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** The real server (Express, the Remix build, the same middleware) on a free port. */
export async function startTestServer(
  db: Database,
  options: { clock?: Clock; env?: Record<string, string>; config?: Partial<Config> } = {},
): Promise<TestServer> {
  const config = { ...loadConfig({ NODE_ENV: "test", PORT: "0", ...options.env }), ...options.config };
  const build = await loadBuild();
  const app = createApp({ config, db, clock: options.clock ?? systemClock, build });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The real server for one suite's database: started before its tests, closed after. */
export function useTestServer(holder: { db: Database }, options: { clock?: Clock } = {}) {
  const server = {} as { url: string; handle?: TestServer };
  beforeAll(async () => {
    server.handle = await startTestServer(holder.db, options);
    server.url = server.handle.url;
  });
  afterAll(async () => {
    await server.handle?.close();
  });
  return server;
}
