import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import type { Dependent, DependentRegistry } from "./dependents";
import { dependentKey, metadataDependents } from "./impact-graph";
import { readStoredEntities } from "./stored-entities";

/** One dependant as the impact listing shows it, with the key to name in `breaks`. */
export interface ListedDependent extends Dependent {
  key: string;
}

/**
 * Everything that uses an entity (its fields and itself), or one field of it: other metadata and every
 * registered source. Unknown names are refused (`unknown_entity`, `unknown_field`).
 *
 * @example
 * await entityDependents(knex, ctx.dependents, "contract", "amount")
 * // [{key: "formula:contract.total", kind: "formula", label: "formula contract.total reads contract.amount", ...}]
 */
export async function entityDependents(
  knex: Knex,
  registry: DependentRegistry,
  entity: string,
  field?: string,
): Promise<ListedDependent[]> {
  const stored = await readStoredEntities(knex);
  const definition = stored.get(entity)?.definition;
  if (!definition) throw new AppError("unknown_entity", `No entity named "${entity}"`);
  if (field !== undefined && !definition.fields.some((f) => f.name === field))
    throw new AppError("unknown_field", `${entity} has no field named "${field}"`, [
      { path: "field", message: `not a field of ${entity}` },
    ]);
  const all = [
    ...metadataDependents([...stored.values()].map((s) => s.definition)).map(
      ({ owner: _, values: __, at: ___, ...d }) => d,
    ),
    ...(await registry.collect(knex)),
  ];
  return all
    .filter((d) => d.entity === entity && (field === undefined || d.field === field))
    .map((d) => ({ key: dependentKey(d), ...d }));
}
