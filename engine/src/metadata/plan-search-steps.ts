import { searchableFields } from "../storage/columns";
import { addSearchColumnSql, dropSearchColumnSql } from "../storage/entity-ddl";
import { type MigrationStep, step } from "./migration-plan";
import type { PlanContext } from "./plan-context";

/**
 * The generated search column reads the searchable columns, so PostgreSQL refuses to drop or retype them
 * under it. When the searchable fields (or their names) change, it is dropped before the column changes
 * and re-created, with its index, after them.
 */
export function searchRebuild(ctx: PlanContext): { drop: MigrationStep[]; add: MigrationStep[] } {
  const signature = (fields: typeof ctx.next.fields) =>
    searchableFields(fields)
      .map((f) => `${ctx.keyOf(f)}:${f.name}`)
      .sort()
      .join(",");
  if (signature(ctx.old.fields) === signature(ctx.next.fields)) return { drop: [], add: [] };
  const names = searchableFields(ctx.next.fields).map((f) => f.name);
  return {
    drop: [
      step("rebuild_search", "Drop the search column while the fields it reads change", [
        dropSearchColumnSql(ctx.entity),
      ]),
    ],
    add: [
      step(
        "rebuild_search",
        `Re-create the search column over ${names.length ? names.join(", ") : "no fields"}`,
        addSearchColumnSql(ctx.entity, ctx.next.fields),
      ),
    ],
  };
}
