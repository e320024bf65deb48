import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].find((p) => existsSync(p));

describe.skipIf(!analyze)("the sample systemd unit", () => {
  it("is one systemd accepts without a warning, restarting the service whenever it stops", () => {
    const verified = spawnSync(analyze!, ["verify", "docs/deploy/threshold.service"], { encoding: "utf8" });
    expect(verified.stderr + verified.stdout).toBe("");
    expect(verified.status).toBe(0);
    const unit = readFileSync("docs/deploy/threshold.service", "utf8");
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/npm start$/m);
    expect(unit).toMatch(/^EnvironmentFile=/m);
  });
});
