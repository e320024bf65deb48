import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../db/unavailable";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("telling a database that is away from a query that is wrong", () => {
  it("counts lost connections, refusals, restarts and connect timeouts as unavailable (503)", () => {
    expect(isDatabaseUnavailable(withCode("terminating connection due to administrator command", "57P01"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("the database system is starting up", "57P03"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode("connect ECONNREFUSED ::1:5432", "ECONNREFUSED")]))).toBe(true);
    expect(isDatabaseUnavailable(new Error("query failed", { cause: withCode("server closed the connection", "08006") }))).toBe(true);
  });

  it("leaves a mistake a mistake (500): bad SQL, a broken constraint, a bug", () => {
    expect(isDatabaseUnavailable(withCode('syntax error at or near "selec"', "42601"))).toBe(false);
    expect(isDatabaseUnavailable(withCode("duplicate key value violates unique constraint", "23505"))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined"))).toBe(false);
    expect(isDatabaseUnavailable(withCode("bind message has 70000 parameter formats but 0 parameters", "08P01"))).toBe(false);
    expect(isDatabaseUnavailable(new Error("Client was closed and is not queryable"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
