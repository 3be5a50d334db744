import { enumValueNames, type FieldDefinition, type FieldType } from "@kehu/schema";
import type { DataCheck } from "./migration-plan";
import { enumValuesLiteral, textArrayLiteral } from "./sql-literals";
import { isEmailText, isHttpUrlText } from "./value-predicates";

// Required, enum values, bounds and formats are enforced by the app on every write, not by table constraints,
// so only live rows (deleted_at IS NULL) must satisfy a tightened rule: a soft-deleted row is history, its
// values may predate the rule, and it cannot be corrected through the API. Type conversions, by contrast,
// rewrite every row and are checked on all rows.
const LIVE = "deleted_at IS NULL";

/** SQL of the field's new value(s) read from the table before the plan runs. */
export interface FieldValueSql {
  value: string;
  currency?: string;
}

export type PathOf = (key: string) => string;

const TEXTUAL: ReadonlySet<FieldType> = new Set(["text", "longtext", "email", "phone", "url"]);
const NUMERIC: ReadonlySet<FieldType> = new Set(["integer", "decimal", "money"]);

function liveRows(path: string, rule: string, violated: string, value: string): DataCheck {
  return { kind: "rows", phase: "rule", path, rule, where: `${LIVE} AND (${violated})`, value: `(${value})::text` };
}

/** Live rows without a value, for a field that becomes required with no default to fill in. */
export function requiredCheck(field: FieldDefinition, v: FieldValueSql, at: PathOf): DataCheck {
  return liveRows(at("required"), `every live row has a ${field.name}`, `${v.value} IS NULL`, v.value);
}

/** Live rows whose value is not among the field's (new) enum values, when values went away or the type changed. */
export function enumValuesCheck(
  old: FieldDefinition | undefined,
  field: FieldDefinition,
  v: FieldValueSql,
  at: PathOf,
): DataCheck | undefined {
  if (field.type !== "enum" && field.type !== "multienum") return undefined;
  const kept = new Set(enumValueNames(field));
  if (old?.type === field.type && enumValueNames(old).every((n) => kept.has(n))) return undefined;
  const list = enumValuesLiteral(field);
  const violated = field.type === "enum" ? `${v.value} <> ALL(${list})` : `NOT (${v.value} <@ ${list})`;
  return liveRows(at("values"), `every live ${field.name} is one of the field's values`, violated, v.value);
}

/**
 * Live rows outside the field's min/max, scale, currencies or format, for those that changed. `pattern` is not
 * checked here: JavaScript and PostgreSQL regular expressions differ, so only the app can judge it.
 */
export function boundChecks(
  old: FieldDefinition | undefined,
  field: FieldDefinition,
  v: FieldValueSql,
  at: PathOf,
): DataCheck[] {
  const typeChanged = old?.type !== field.type;
  const changed = (k: keyof FieldDefinition) =>
    field[k] !== undefined && (typeChanged || JSON.stringify(old?.[k]) !== JSON.stringify(field[k]));
  const checks: DataCheck[] = [];
  const measure = TEXTUAL.has(field.type)
    ? `char_length(${v.value})`
    : field.type === "multienum"
      ? `cardinality(${v.value})`
      : NUMERIC.has(field.type)
        ? v.value
        : undefined;
  if (measure && changed("max"))
    checks.push(
      liveRows(at("max"), `every live ${field.name} is within max ${field.max}`, `${measure} > ${field.max}`, v.value),
    );
  if (measure && changed("min"))
    checks.push(
      liveRows(at("min"), `every live ${field.name} is within min ${field.min}`, `${measure} < ${field.min}`, v.value),
    );
  if ((field.type === "decimal" || field.type === "money") && changed("scale"))
    checks.push(
      liveRows(
        at("scale"),
        `every live ${field.name} has at most ${field.scale} decimals`,
        `scale(${v.value}) > ${field.scale}`,
        v.value,
      ),
    );
  if (field.type === "money" && v.currency && changed("currencies"))
    checks.push(
      liveRows(
        at("currencies"),
        `every live ${field.name} currency is one of ${field.currencies?.join(", ")}`,
        `${v.currency} <> ALL(${textArrayLiteral(field.currencies ?? [])})`,
        v.currency,
      ),
    );
  const format = typeChanged ? formatPredicate(field.type, v.value) : undefined;
  if (format)
    checks.push(liveRows(at("type"), `every live ${field.name} is a valid ${field.type}`, `NOT (${format})`, v.value));
  return checks;
}

function formatPredicate(type: FieldType, value: string): string | undefined {
  if (type === "email") return isEmailText(value);
  if (type === "url") return isHttpUrlText(value);
  return undefined;
}
