import type { FieldDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { currencyColumn, entityTable, quoteIdent, SEARCH_COLUMN } from "../storage/identifiers";

/**
 * Copies a field's non-null values into `kehu.archived_values` before its column is dropped. Decimals are kept
 * as text (as the API returns them), money as `{amount, currency}`.
 */
export async function archiveFieldValues(
  knex: Knex,
  revisionId: number,
  entity: string,
  field: FieldDefinition,
): Promise<number> {
  const c = quoteIdent(field.name);
  const [value, present] =
    field.type === "money"
      ? [
          `jsonb_build_object('amount', ${c}::text, 'currency', ${quoteIdent(currencyColumn(field.name))})`,
          `${c} IS NOT NULL OR ${quoteIdent(currencyColumn(field.name))} IS NOT NULL`,
        ]
      : [field.type === "decimal" ? `to_jsonb(${c}::text)` : `to_jsonb(${c})`, `${c} IS NOT NULL`];
  const result = await knex.raw(
    `INSERT INTO kehu.archived_values (revision_id, entity, field, record_id, value)
     SELECT ?, ?, ?, id, ${value} FROM ${entityTable(entity)} WHERE ${present}`,
    [revisionId, entity, field.name],
  );
  return (result as { rowCount?: number }).rowCount ?? 0;
}

/** Copies every row of a table about to be dropped, soft-deleted ones too, as whole-row JSON (field NULL). */
export async function archiveTableRows(knex: Knex, revisionId: number, entity: string): Promise<number> {
  const result = await knex.raw(
    `INSERT INTO kehu.archived_values (revision_id, entity, field, record_id, value)
     SELECT ?, ?, NULL, t.id, to_jsonb(t) - '${SEARCH_COLUMN}' FROM ${entityTable(entity)} AS t`,
    [revisionId, entity],
  );
  return (result as { rowCount?: number }).rowCount ?? 0;
}
