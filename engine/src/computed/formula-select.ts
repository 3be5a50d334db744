import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { entityTable, entityTableRef, quoteIdent } from "../storage/identifiers";
import { resolveQueryField } from "../storage/query-fields";

/** `<expression> AS "<name>"` for every formula of an entity, over its unaliased table. */
export function formulaSelects(knex: Knex, entity: EntityDefinition): Knex.Raw[] {
  return entity.fields.flatMap((f) => {
    const expression = f.type === "formula" ? resolveQueryField(entity, f.name)?.expression : undefined;
    return expression ? [knex.raw(`${expression(entityTable(entity.name))} AS ${quoteIdent(f.name)}`)] : [];
  });
}

/** Fills a row's formula values by reading them back (after a write, whose RETURNING cannot hold them). */
export async function withFormulaValues(
  knex: Knex,
  entity: EntityDefinition,
  row: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const selects = formulaSelects(knex, entity);
  if (!selects.length || row.id === undefined) return row;
  const values = await knex(entityTableRef(entity.name)).select(selects).where({ id: row.id }).first();
  return { ...row, ...values };
}

/** The formula values of many records by id, read in one query; undefined when the entity has no formula. */
export async function formulaValuesOf(
  knex: Knex,
  entity: EntityDefinition,
  ids: readonly string[],
): Promise<Map<string, Record<string, unknown>> | undefined> {
  const selects = formulaSelects(knex, entity);
  if (!selects.length) return undefined;
  const rows = await knex(entityTableRef(entity.name))
    .select("id", ...selects)
    .whereRaw("id = ANY(?::uuid[])", [[...ids]]);
  return new Map(rows.map(({ id, ...values }: Record<string, unknown>) => [id as string, values]));
}
