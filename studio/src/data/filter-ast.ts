import { type FieldDefinition, type FilterOperator, type FilterValueKind, OPERATORS_BY_KIND } from "@kehu/schema";

/** The kinds of field the builder offers; json (nothing but isNull) is left out. */
type ValueKind = Exclude<FilterValueKind, "longtext" | "int4" | "json">;

/** The filter kind of a field; undefined for json (nothing but isNull, not offered). */
export function valueKind(field: FieldDefinition): ValueKind | undefined {
  switch (field.type) {
    case "integer":
      return "integer";
    case "decimal":
    case "money":
      return "decimal";
    case "rollup":
      return field.function === "count" ? "integer" : "decimal";
    case "formula":
      return field.resultType === "text" || !field.resultType ? "text" : (field.resultType as ValueKind);
    case "date":
    case "datetime":
    case "boolean":
    case "enum":
    case "multienum":
      return field.type;
    case "reference":
      return "uuid";
    case "json":
      return undefined;
    default:
      return "text";
  }
}

/** The operators a field may be filtered with. */
export function operatorsFor(field: FieldDefinition): readonly FilterOperator[] {
  const kind = valueKind(field);
  return kind ? OPERATORS_BY_KIND[kind] : [];
}

/** One line of the filter builder. Lists (`in`) hold their values in `values`; `between` uses `value` and `value2`. */
export interface FilterRow {
  field: string;
  op: FilterOperator;
  value: string;
  value2?: string;
  values?: string[];
  negate?: boolean;
}

export interface FilterState {
  combinator: "and" | "or";
  rows: FilterRow[];
}

export const EMPTY_FILTER: FilterState = { combinator: "and", rows: [] };

/** Whether an operator takes a list of values (or, for multienum, a set). */
export function takesList(field: FieldDefinition, op: FilterOperator): boolean {
  return (
    op === "in" || op === "nin" || (field.type === "multienum" && (op === "eq" || op === "ne" || op === "contains"))
  );
}

/**
 * The filter AST (as the API takes it) of the builder's rows; rows on unknown fields or with no value yet are
 * left out, so a half-typed row never sends a filter the server refuses.
 *
 * @example
 * toFilterAst(fields, {combinator: "and", rows: [{field: "tier", op: "eq", value: "gold"}]}) // {tier: {eq: "gold"}}
 */
export function toFilterAst(fields: FieldDefinition[], state: FilterState): Record<string, unknown> | undefined {
  const parts: Record<string, unknown>[] = [];
  for (const row of state.rows) {
    const field = fields.find((f) => f.name === row.field);
    if (!field || !operatorsFor(field).includes(row.op)) continue;
    const operand = operandOf(field, row);
    if (operand === undefined) continue;
    const condition = { [row.field]: { [row.op]: operand } };
    parts.push(row.negate ? { not: condition } : condition);
  }
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  return { [state.combinator]: parts };
}

function operandOf(field: FieldDefinition, row: FilterRow): unknown {
  const kind = valueKind(field)!;
  if (row.op === "isNull") return row.value !== "false";
  if (takesList(field, row.op)) {
    const list = (row.values ?? splitList(row.value)).map((v) => typed(kind, v));
    return list.length && list.every((v) => v !== undefined) ? list : undefined;
  }
  if (row.op === "between") {
    const lo = typed(kind, row.value);
    const hi = typed(kind, row.value2 ?? "");
    return lo === undefined || hi === undefined ? undefined : [lo, hi];
  }
  return typed(kind, row.value);
}

/** Comma- or newline-separated values, trimmed, empty ones dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[,，\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function typed(kind: ValueKind, text: string): unknown {
  const value = text.trim();
  if (value === "") return undefined;
  switch (kind) {
    case "integer":
      return /^[+-]?\d+$/.test(value) ? Number(value) : undefined;
    case "decimal":
      return /^[+-]?\d+(\.\d+)?$/.test(value) ? value : undefined;
    case "boolean":
      return value === "true" ? true : value === "false" ? false : undefined;
    case "datetime":
      // The datetime-local input gives local time without a zone: send it as an instant.
      return Number.isNaN(Date.parse(value)) ? undefined : new Date(value).toISOString();
    default:
      return value;
  }
}
