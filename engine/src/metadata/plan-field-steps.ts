import { enumValueNames, type FieldDefinition } from "@kehu/schema";
import { columnsOf } from "../storage/columns";
import {
  addFieldColumnsSql,
  alterColumnTypeSql,
  dropFieldColumnsSql,
  renameFieldColumnsSql,
} from "../storage/entity-ddl";
import { entityTable, quoteIdent } from "../storage/identifiers";
import type { FieldPair } from "./field-matching";
import { type DataCheck, type MigrationStep, step } from "./migration-plan";
import type { PlanContext } from "./plan-context";
import { boundChecks, enumValuesCheck, requiredCheck } from "./rule-checks";
import { defaultLiteral } from "./sql-literals";

const RULE_KEYS = ["min", "max", "scale", "precision", "currencies", "pattern"] as const;

/** What adding a computed field does besides its column; the triggers are made after all plans (`syncComputedRoutines`). */
const COMPUTED_NOTES: Partial<Record<FieldDefinition["type"], string>> = {
  formula: ", computed on read (no column)",
  rollup: ", kept by triggers on the child table and computed now for existing rows",
  autonumber: ", numbering existing rows in creation order",
};

export function dropFieldStep(ctx: PlanContext, field: FieldDefinition): MigrationStep {
  return {
    ...step(
      "drop_field",
      `Drop field ${field.name} (${field.type}); its values are archived in kehu.archived_values`,
      dropFieldColumnsSql(ctx.entity, field),
      { field: field.name },
    ),
    destructive: true,
  };
}

/**
 * Renames columns. When a new name is still taken by another renamed field (a swap or a chain), every renamed
 * column first moves to a temporary name, so the order of the statements never matters.
 */
export function renameSteps(ctx: PlanContext, indexRenames: Map<FieldDefinition, string[]>): MigrationStep[] {
  const renamed = ctx.matching.kept.filter((p) => p.old.name !== p.next.name);
  const oldNames = new Set(ctx.matching.kept.map((p) => p.old.name));
  const chained = renamed.some((p) => oldNames.has(p.next.name));
  const tmp = (i: number) => `_kehu_tmp_${i}`;
  return renamed.map((p, i) => {
    const sql = chained
      ? [
          ...(i === 0 ? renamed.flatMap((q, j) => renameFieldColumnsSql(ctx.entity, q.old, q.old.name, tmp(j))) : []),
          ...renameFieldColumnsSql(ctx.entity, p.old, tmp(i), p.next.name),
        ]
      : renameFieldColumnsSql(ctx.entity, p.old, p.old.name, p.next.name);
    return step(
      "rename_field",
      `Rename ${p.old.name} to ${p.next.name}, keeping its values`,
      [...sql, ...(indexRenames.get(p.next) ?? [])],
      { field: p.next.name },
    );
  });
}

/** Converts a kept field's column to its new type, after checking every value converts. */
export function changeTypeSteps(ctx: PlanContext, pair: FieldPair): MigrationStep[] {
  const { old, next } = pair;
  if (old.type === next.type && old.target === next.target) return [];
  const conversion = ctx.conversion(pair);
  const column = quoteIdent(old.name);
  const checks: DataCheck[] = [];
  if (conversion.fails) {
    const rule = conversion.unsupported
      ? `${old.name} ${conversion.rule}: ${old.type} to ${next.type} is not a declared conversion, so add a new field and copy the values`
      : `every ${old.name} value ${conversion.rule}`;
    checks.push({
      kind: "rows",
      phase: "convert",
      path: ctx.pathOf(next, "type"),
      rule,
      where: `${column} IS NOT NULL AND (${conversion.fails(column)})`,
      value: `${column}::text`,
    });
  }
  const at = (key: string) => ctx.pathOf(next, key);
  const value = ctx.valueOf(next);
  checks.push(
    ...[enumValuesCheck(old, next, value, at)].filter((c) => c !== undefined),
    ...boundChecks(old, next, value, at),
  );
  const target = columnsOf(next)[0].sqlType;
  const sql =
    conversion.using && target !== columnsOf(old)[0].sqlType
      ? [alterColumnTypeSql(ctx.entity, next.name, target, conversion.using(quoteIdent(next.name)))]
      : [];
  const what =
    old.type === next.type
      ? `Point ${next.name} at ${next.target} instead of ${old.target}`
      : `Change ${next.name} from ${old.type} to ${next.type}`;
  return [
    step("change_type", sql.length ? what : `${what} (the column keeps its SQL type)`, sql, {
      field: next.name,
      checks,
    }),
  ];
}

export function addFieldStep(ctx: PlanContext, field: FieldDefinition): MigrationStep {
  const fill = defaultLiteral(field);
  const checks =
    field.required && fill === undefined
      ? [requiredCheck(field, { value: "NULL" }, (key) => ctx.pathOf(field, key))]
      : [];
  const description = `Add field ${field.name} (${field.type})${fill === undefined ? "" : `, filling existing rows with ${JSON.stringify(field.default)}`}${COMPUTED_NOTES[field.type] ?? ""}`;
  return step("add_field", description, addFieldColumnsSql(ctx.entity, field, fill), { field: field.name, checks });
}

/** Required, enum values and bounds of a kept field: checked against live rows, enforced by the app afterwards. */
export function ruleSteps(ctx: PlanContext, pair: FieldPair): MigrationStep[] {
  const { old, next } = pair;
  const at = (key: string) => ctx.pathOf(next, key);
  const value = ctx.valueOf(next);
  const typeChanged = old.type !== next.type;
  const steps: MigrationStep[] = [];
  if (next.required && !old.required) steps.push(setRequiredStep(ctx, next, value.value));
  if (old.required && !next.required)
    steps.push(step("drop_required", `Make ${next.name} optional`, [], { field: next.name }));
  const [before, after] = [enumValueNames(old), enumValueNames(next)];
  if (!typeChanged && JSON.stringify(before) !== JSON.stringify(after)) {
    const added = after.filter((v) => !before.includes(v));
    const removed = before.filter((v) => !after.includes(v));
    const parts = [added.length ? `add ${added.join(", ")}` : "", removed.length ? `remove ${removed.join(", ")}` : ""];
    const description = `Change the values of ${next.name}: ${parts.filter(Boolean).join("; ") || "reorder"}`;
    const check = enumValuesCheck(old, next, value, at);
    steps.push(step("change_enum_values", description, [], { field: next.name, checks: check ? [check] : [] }));
  }
  const changed = RULE_KEYS.filter((k) => JSON.stringify(old[k]) !== JSON.stringify(next[k]));
  if (!typeChanged && changed.length) {
    const description = `Change the rules of ${next.name}: ${changed.map((k) => `${k} ${JSON.stringify(old[k]) ?? "none"} → ${JSON.stringify(next[k]) ?? "none"}`).join(", ")}`;
    steps.push(step("change_rules", description, [], { field: next.name, checks: boundChecks(old, next, value, at) }));
  }
  return steps;
}

function setRequiredStep(ctx: PlanContext, field: FieldDefinition, value: string): MigrationStep {
  const fill = defaultLiteral(field);
  if (fill === undefined)
    return step("set_required", `Make ${field.name} required`, [], {
      field: field.name,
      checks: [requiredCheck(field, { value }, (key) => ctx.pathOf(field, key))],
    });
  const column = quoteIdent(field.name);
  return step(
    "set_required",
    `Make ${field.name} required, filling empty values with ${JSON.stringify(field.default)}`,
    [`UPDATE ${entityTable(ctx.entity)} SET ${column} = ${fill} WHERE ${column} IS NULL`],
    { field: field.name },
  );
}
