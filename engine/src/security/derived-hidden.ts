import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { FormulaError, type FormulaNode } from "../computed/formula-ast";
import { parseFormula } from "../computed/formula-parser";
import { formulaNodes } from "../computed/formula-walk";
import { filterNames } from "./field-access";

export type EntityLookup = (name: string) => EntityDefinition | undefined;

/**
 * The fields a reader may not see once computed fields are taken into account: the fields hidden by permission rules,
 * plus every formula that reads a hidden field (here or through a reference) and every roll-up that folds or filters
 * on a hidden field of its child, so a hidden cost cannot be read back as `price - cost`.
 */
export function derivedHidden(
  entity: EntityDefinition,
  hiddenOf: (entity: string) => ReadonlySet<string>,
  lookup: EntityLookup,
  visiting: ReadonlySet<string> = new Set(),
): ReadonlySet<string> {
  const base = hiddenOf(entity.name);
  const computed = entity.fields.filter((f) => f.type === "formula" || f.type === "rollup");
  if (!computed.length) return base;
  const seen = new Set([...visiting, entity.name]);
  const hiddenElsewhere = (name: string): ReadonlySet<string> => {
    const other = lookup(name);
    if (!other) return hiddenOf(name);
    return seen.has(name) ? hiddenOf(name) : derivedHidden(other, hiddenOf, lookup, seen);
  };
  const hidden = new Set(base);
  // A formula may read a roll-up but never another formula: roll-ups first, then formulas, settle it in one pass each.
  for (const kind of ["rollup", "formula"])
    for (const field of computed)
      if (field.type === kind && readsHidden(field, entity, hidden, hiddenElsewhere)) hidden.add(field.name);
  return hidden;
}

function readsHidden(
  field: FieldDefinition,
  entity: EntityDefinition,
  hidden: ReadonlySet<string>,
  hiddenElsewhere: (entity: string) => ReadonlySet<string>,
): boolean {
  if (field.type === "rollup") {
    if (!field.child) return false;
    const childHidden = hiddenElsewhere(field.child);
    const read = [field.field, field.via, ...filterNames(field.filter, "").map((n) => n.name.split(".")[0])].filter(
      (n): n is string => !!n,
    );
    return read.some((n) => childHidden.has(n));
  }
  if (!field.expression) return false;
  let tree: FormulaNode;
  try {
    tree = parseFormula(field.expression);
  } catch (e) {
    if (e instanceof FormulaError) return false;
    throw e;
  }
  return formulaNodes(tree).some((node) => {
    if (node.kind === "field") return hidden.has(node.name);
    if (node.kind !== "ref") return false;
    if (hidden.has(node.via)) return true;
    const target = entity.fields.find((f) => f.name === node.via)?.target;
    return target !== undefined && hiddenElsewhere(target).has(node.name);
  });
}
