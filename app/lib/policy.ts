/** The policy lives in the pure domain folder, so queries, services and routes share one copy of each rule. */
export * from "../../domain/policy";
