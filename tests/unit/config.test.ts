import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../app/server/config";

describe("configuration from the environment", () => {
  it("refuses to start in production without SESSION_SECRET, saying what to set", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrowError(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrowError(/SESSION_SECRET is required in production/);
  });

  it("uses the documented defaults, and treats an empty variable as unset", () => {
    const config = loadConfig({ DATABASE_URL: "", PORT: "" });
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, sessionIdleMinutes: 30, production: false, runWorker: true });
    expect(config.appUrl).toBe("http://localhost:3000");
  });

  it("opens the mailbox page outside production, and in production only when MAILBOX_ENABLED=true", () => {
    const secret = { SESSION_SECRET: "x".repeat(32) };
    expect(loadConfig({}).mailboxPage).toBe(true);
    expect(loadConfig({ NODE_ENV: "production", ...secret }).mailboxPage).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", MAILBOX_ENABLED: "true", ...secret }).mailboxPage).toBe(true);
    expect(loadConfig({ MAILBOX_ENABLED: "false" }).mailboxPage).toBe(false);
    expect(() => loadConfig({ MAILBOX_ENABLED: "yes" })).toThrowError(/MAILBOX_ENABLED/);
  });

  it("says which variable is wrong", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrowError(/PORT/);
  });
});
