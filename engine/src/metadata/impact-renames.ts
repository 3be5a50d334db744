import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { renameInFormula } from "./impact-formula-refs";
import { LOGICAL } from "./impact-graph";

/** The new name of a renamed field (`entity`, old name), or undefined when it was not renamed. */
export type RenameLookup = (entity: string, name: string) => string | undefined;

/**
 * The definition with every use of a renamed field following the rename: formula words (`amount`,
 * `customer.tier`, and the reference word itself), a rollup's `via`, `field` and filter keys, index fields and
 * the title field. `stored` is the entity as it was, to find where an old reference word pointed.
 */
export function followRenames(
  entity: EntityDefinition,
  stored: EntityDefinition | undefined,
  renameOf: RenameLookup,
): EntityDefinition {
  const own = (name: string) => renameOf(entity.name, name) ?? name;
  const targetOf = (via: string) =>
    [...(stored?.fields ?? []), ...entity.fields].find((f) => f.name === via && f.type === "reference")?.target;
  const fields = entity.fields.map((field): FieldDefinition => {
    if (field.type === "formula" && field.expression !== undefined) {
      const expression = renameInFormula(field.expression, (read) => {
        if (read.via === undefined) return { name: own(read.name) };
        const target = targetOf(read.via);
        return { via: own(read.via), name: target ? (renameOf(target, read.name) ?? read.name) : read.name };
      });
      return expression === field.expression ? field : { ...field, expression };
    }
    if (field.type === "rollup" && field.child !== undefined) {
      const child = field.child;
      const inChild = (name: string) => renameOf(child, name) ?? name;
      const next: FieldDefinition = { ...field };
      if (field.via !== undefined) next.via = inChild(field.via);
      if (field.field !== undefined) next.field = inChild(field.field);
      if (field.filter !== undefined) next.filter = renameFilterKeys(field.filter, inChild) as typeof field.filter;
      return next;
    }
    return field;
  });
  const next: EntityDefinition = { ...entity, fields };
  if (entity.indexes) next.indexes = entity.indexes.map((ix) => ({ ...ix, fields: ix.fields.map(own) }));
  if (entity.titleField !== undefined) next.titleField = own(entity.titleField);
  return next;
}

function renameFilterKeys(node: unknown, rename: (name: string) => string): unknown {
  if (Array.isArray(node)) return node.map((n) => renameFilterKeys(n, rename));
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) =>
      LOGICAL.has(key) ? [key, renameFilterKeys(value, rename)] : [rename(key), value],
    ),
  );
}
