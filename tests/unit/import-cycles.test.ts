import madge from "madge";
import { describe, expect, it } from "vitest";

/**
 * No module of ours imports itself through others: a cycle is how one layer
 * ends up loading half the app, and why a change in one service can break
 * another's start-up order.
 */
describe("the code's imports", () => {
  it("form no cycle among the app, database, machines, emails and domain modules", async () => {
    const graph = await madge(["app", "db", "machines", "emails", "domain"], { fileExtensions: ["ts", "tsx"], tsConfig: "tsconfig.json" });
    expect(graph.circular()).toEqual([]);
  }, 60_000);
});
