import type { Issue } from "@kehu/core";
import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { filterIssues } from "../storage/filter-compiler";
import type { FormulaNode } from "./formula-ast";
import { type EntityLookup, formulaIssues } from "./formula-check";
import { parseFormula } from "./formula-parser";
import { formulaNodes } from "./formula-walk";

const ROLLUP_VALUE_TYPES = new Set(["integer", "decimal", "money"]);

/**
 * The checks of a computed field that need other entities: a formula's type-check, a rollup's child, its
 * reference back (`via`), its folded field and its filter. Paths are relative to the field.
 */
export function computedFieldIssues(field: FieldDefinition, entity: EntityDefinition, lookup: EntityLookup): Issue[] {
  if (field.type === "formula") return formulaIssues(field, entity, lookup);
  if (field.type !== "rollup" || field.child === undefined) return [];
  const child = field.child === entity.name ? entity : lookup(field.child);
  if (!child) return [{ path: "/child", message: `no entity named "${field.child}"` }];
  const issues: Issue[] = [];
  const via = child.fields.find((f) => f.name === field.via);
  if (!via) issues.push({ path: "/via", message: `${child.name} has no field named "${field.via}"` });
  else if (via.type !== "reference" || via.target !== entity.name)
    issues.push({ path: "/via", message: `${child.name}.${via.name} is not a reference to ${entity.name}` });
  if (field.field !== undefined) {
    const folded = child.fields.find((f) => f.name === field.field);
    if (!folded) issues.push({ path: "/field", message: `${child.name} has no field named "${field.field}"` });
    else if (folded.type === "formula") issues.push(...foldedFormulaIssues(field, child, folded));
    else if (!ROLLUP_VALUE_TYPES.has(folded.type))
      issues.push({
        path: "/field",
        message: `${field.function} needs a number field; ${child.name}.${folded.name} is ${folded.type}`,
      });
    else issues.push(...rateDateIssues(field, child, folded));
  }
  if (field.filter !== undefined) issues.push(...filterIssues(child, field.filter, { path: "/filter" }));
  return issues;
}

const RATE_DATE_TYPES = new Set(["date", "datetime"]);

/** A rollup over money must name the child's date whose exchange rate converts it; other rollups must not. */
function rateDateIssues(field: FieldDefinition, child: EntityDefinition, folded: FieldDefinition): Issue[] {
  if (folded.type !== "money")
    return field.rateDate === undefined
      ? []
      : [
          {
            path: "/rateDate",
            message: `only a rollup over a money field converts; ${child.name}.${folded.name} is ${folded.type}`,
          },
        ];
  if (field.rateDate === undefined)
    return [
      {
        path: "/rateDate",
        message: `a rollup over the money field ${child.name}.${folded.name} needs "rateDate": "created_at" or a date field of ${child.name}, the day whose exchange rate converts each amount to the base currency`,
      },
    ];
  if (field.rateDate === "created_at" || field.rateDate === "updated_at") return [];
  const date = child.fields.find((f) => f.name === field.rateDate);
  if (date && RATE_DATE_TYPES.has(date.type)) return [];
  return [{ path: "/rateDate", message: `${child.name} has no date field named "${field.rateDate}"` }];
}

/**
 * A roll-up may fold a formula of its child when the formula is a number computed from the child row alone: the
 * triggers see every change of that row, but not a change of another record or of the date.
 */
function foldedFormulaIssues(field: FieldDefinition, child: EntityDefinition, folded: FieldDefinition): Issue[] {
  const name = `${child.name}.${folded.name}`;
  if (folded.resultType !== "integer" && folded.resultType !== "decimal")
    return [
      { path: "/field", message: `${field.function} needs a number field; ${name} is a ${folded.resultType} formula` },
    ];
  let tree: FormulaNode;
  try {
    tree = parseFormula(folded.expression ?? "");
  } catch {
    return []; // the formula's own check reports it
  }
  const outside = rowOutsideReads(tree);
  return outside
    ? [
        {
          path: "/field",
          message: `a roll-up can fold only a formula of the row's own fields; ${name} reads ${outside}`,
        },
      ]
    : [];
}

/** The first thing a formula reads from outside its row (`contract.amount`, `today()`), or undefined. */
function rowOutsideReads(tree: FormulaNode): string | undefined {
  for (const node of formulaNodes(tree)) {
    if (node.kind === "ref") return `${node.via}.${node.name}`;
    if (node.kind === "call" && (node.name === "today" || node.name === "now")) return `${node.name}()`;
  }
  return undefined;
}

/**
 * Computed fields of entities outside a batch that the batch breaks (a rollup whose child field was dropped,
 * a formula whose referenced field changed type), each named with what uses it.
 */
export function dependentIssues(
  untouched: readonly EntityDefinition[],
  lookup: EntityLookup,
): Array<{ entity: EntityDefinition; index: number; issue: Issue }> {
  return untouched.flatMap((entity) =>
    entity.fields.flatMap((field, index) =>
      computedFieldIssues(field, entity, lookup).map((issue) => ({
        entity,
        index,
        issue: {
          path: issue.path,
          message: `${issue.message} (needed by ${field.type} ${entity.name}.${field.name}; change or remove it first)`,
        },
      })),
    ),
  );
}
