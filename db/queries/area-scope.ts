import type { ExpressionBuilder } from "kysely";
import type { DB } from "../schema";

/** The areas a manager acts for: one area, every area (`allAreas`), or, with neither, none. */
export interface AreaScope {
  areaId: number | null;
  allAreas: boolean;
}

/** A condition that a row's area column is one the scope covers; a scope with neither covers nothing. */
export function inAreaScope<T extends keyof DB>(eb: ExpressionBuilder<DB, T>, column: string, scope: AreaScope) {
  if (scope.allAreas) return eb.lit(true);
  if (scope.areaId === null) return eb.lit(false);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return eb(column as any, "=", scope.areaId);
}
