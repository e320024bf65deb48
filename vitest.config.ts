import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "machines/**/*.test.ts", "emails/**/*.test.ts"],
    environment: "node",
    // Browser tests on a busy 2-core machine can take tens of seconds; a timeout is a hang detector, not a target.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Two cores: two files at a time keeps each embedded database responsive.
    maxWorkers: 2,
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "silent", TZ: "UTC" },
  },
});
