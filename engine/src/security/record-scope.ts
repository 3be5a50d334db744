import type { EntityDefinition } from "@kehu/schema";
import type { SqlFragment } from "../storage/query-fields";
import type { Scope } from "./permission-model";
import type { Principal } from "./principal";

const TEMPLATES: Record<Exclude<Scope, "all">, string> = {
  own: "{t}owner_id = ?::uuid",
  department: "{t}department_id = ?::uuid",
  // Uncorrelated: the department tree is computed once per query, not per row.
  department_tree:
    "{t}department_id IN (WITH RECURSIVE tree AS (SELECT id FROM kehu.departments WHERE id = ?::uuid " +
    "UNION SELECT d.id FROM kehu.departments d JOIN tree ON d.parent_id = tree.id) SELECT id FROM tree)",
};

/**
 * The SQL predicate of a record scope over the system columns, or undefined when the scope is `all` (or the entity
 * has no owner). `qualifier` prefixes the columns (a table name or alias) when the query joins or upserts.
 *
 * @example
 * scopePredicate("own", customer, principal) // {sql: "owner_id = ?::uuid", bindings: [principal.userId]}
 */
export function scopePredicate(
  scope: Scope,
  entity: EntityDefinition,
  principal: Principal,
  qualifier?: string,
): SqlFragment | undefined {
  if (scope === "all" || entity.ownership === "none") return undefined;
  const subject = scope === "own" ? principal.userId : principal.departmentId;
  if (subject === null) return { sql: "FALSE", bindings: [] };
  const prefix = qualifier ? `${qualifier}.` : "";
  return { sql: `(${TEMPLATES[scope].replace("{t}", prefix)})`, bindings: [subject] };
}
