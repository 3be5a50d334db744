import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { columnsOf } from "../storage/columns";
import { currencyColumn, entityTable, quoteIdent } from "../storage/identifiers";
import type { MigrationPlan, MigrationStep } from "./migration-plan";
import { quoteLiteral } from "./sql-literals";

const SYSTEM = ["id", "version", "created_at", "updated_at", "created_by", "owner_id", "department_id", "deleted_at"];

/**
 * The plan of a revert with the data of revision `revisionId` put back: a re-created table gets its archived
 * rows, a re-added field its archived values (and a required one is checked against them, not against NULL).
 */
export function withRestoredData(
  plan: MigrationPlan,
  revisionId: number,
  restored: EntityDefinition,
  dropped: ReadonlySet<string>,
): MigrationPlan {
  const steps = plan.steps.map((s): MigrationStep => {
    if (s.kind === "create_table")
      return {
        ...s,
        description: `${s.description}, restoring its archived rows`,
        sql: [...s.sql, rowsSql(restored, revisionId)],
      };
    const field =
      s.kind === "add_field" && dropped.has(s.field ?? "")
        ? restored.fields.find((f) => f.name === s.field)
        : undefined;
    if (!field || !columnsOf(field).length || field.type === "rollup") return s;
    const archived = archivedValueOf(plan.entity, field.name, revisionId);
    return {
      ...s,
      description: `${s.description}, restoring its archived values`,
      sql: [...s.sql, valuesSql(plan.entity, field, archived)],
      checks: (s.checks ?? []).map((c) =>
        c.kind === "rows" && c.path.endsWith("/required")
          ? {
              ...c,
              where: `deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM kehu.archived_values AS a WHERE ${archived} AND a.value IS NOT NULL)`,
            }
          : c,
      ),
    };
  });
  return { ...plan, steps };
}

/** The condition that picks, as `a`, the archived value of a row's field. */
function archivedValueOf(entity: string, field: string, revisionId: number): string {
  return `a.revision_id = ${revisionId} AND a.entity = ${quoteLiteral(entity)} AND a.field = ${quoteLiteral(field)} AND a.record_id = ${entityTable(entity)}.id`;
}

function valuesSql(entity: string, field: FieldDefinition, archived: string): string {
  const col = quoteIdent(field.name);
  const sets =
    field.type === "money"
      ? `${col} = (a.value->>'amount')::numeric, ${quoteIdent(currencyColumn(field.name))} = a.value->>'currency'`
      : `${col} = ${valueExpr(field)}`;
  return `UPDATE ${entityTable(entity)} SET ${sets} FROM kehu.archived_values AS a WHERE ${archived}`;
}

function valueExpr(field: FieldDefinition): string {
  if (field.type === "json") return "a.value";
  if (field.type === "multienum") return "ARRAY(SELECT jsonb_array_elements_text(a.value))";
  return `(a.value #>> '{}')::${columnsOf(field)[0].sqlType}`;
}

/** Inserts the archived whole rows of a dropped table; the search column is generated, so it is left out. */
function rowsSql(entity: EntityDefinition, revisionId: number): string {
  const columns = [...SYSTEM, ...entity.fields.flatMap((f) => columnsOf(f).map((c) => c.name))].map(quoteIdent);
  const table = entityTable(entity.name);
  return `INSERT INTO ${table} (${columns.join(", ")})
SELECT ${columns.map((c) => `r.${c}`).join(", ")} FROM kehu.archived_values AS a
CROSS JOIN LATERAL jsonb_populate_record(NULL::${table}, a.value) AS r
WHERE a.revision_id = ${revisionId} AND a.entity = ${quoteLiteral(entity.name)} AND a.field IS NULL`;
}
