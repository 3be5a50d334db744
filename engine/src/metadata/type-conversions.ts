import type { FieldDefinition, FieldType } from "@kehu/schema";
import { columnsOf } from "../storage/columns";
import { isBooleanText, isDecimalText, isIntegerText, isIsoDateText, isIsoDateTimeText } from "./value-predicates";

/** How a column's values become the new type's: an expression over the old column, and which values fail. */
export interface Conversion {
  /** The new value from the old column `c`; absent when the column keeps its SQL type. */
  using?: (c: string) => string;
  /** SQL predicate, true for a non-null old value that does not convert. */
  fails?: (c: string) => string;
  /** The pair is outside the matrix: allowed only while the column holds no value. */
  unsupported?: true;
  /** The rule the check enforces, as a sentence about the values. */
  rule: string;
}

type Kind = "text" | "integer" | "decimal" | "boolean" | "date" | "datetime" | "multienum" | "json" | "reference";

// Types stored as text convert among themselves without touching the column.
const TEXTUAL: ReadonlySet<FieldType> = new Set(["text", "longtext", "email", "phone", "url", "enum"]);

function kindOf(type: FieldType): Kind | "money" {
  return TEXTUAL.has(type) ? "text" : (type as Kind | "money");
}

const SAFE_INTEGER = "9007199254740991";
const iso = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The declared conversions, by `from>to` kind. Anything else needs a new field and a copy. */
const MATRIX: Record<string, Conversion> = {
  "text>integer": {
    using: (c) => `trim(${c})::bigint`,
    fails: (c) => `NOT (${isIntegerText(c)})`,
    rule: "is a whole number",
  },
  "text>decimal": {
    using: (c) => `trim(${c})::numeric`,
    fails: (c) => `NOT (${isDecimalText(c)})`,
    rule: "is a decimal number",
  },
  "text>boolean": {
    using: (c) => `lower(trim(${c}))::boolean`,
    fails: (c) => `NOT (${isBooleanText(c)})`,
    rule: "is a yes/no word",
  },
  "text>date": {
    using: (c) => `trim(${c})::date`,
    fails: (c) => `NOT (${isIsoDateText(`trim(${c})`)})`,
    rule: "is a YYYY-MM-DD date",
  },
  "text>datetime": {
    using: (c) => `trim(${c})::timestamptz`,
    fails: (c) => `NOT (${isIsoDateTimeText(c)})`,
    rule: "is an ISO 8601 date-time",
  },
  "text>multienum": { using: (c) => `CASE WHEN ${c} IS NULL THEN NULL ELSE ARRAY[${c}] END`, rule: "converts" },
  "text>json": { using: (c) => `to_jsonb(${c})`, rule: "converts" },
  "integer>decimal": { using: (c) => `${c}::numeric`, rule: "converts" },
  "integer>text": { using: (c) => `${c}::text`, rule: "converts" },
  "integer>json": { using: (c) => `to_jsonb(${c})`, rule: "converts" },
  "decimal>integer": {
    using: (c) => `${c}::bigint`,
    fails: (c) => `${c} <> trunc(${c}) OR abs(${c}) > ${SAFE_INTEGER}`,
    rule: "is a whole number",
  },
  "decimal>text": { using: (c) => `${c}::text`, rule: "converts" },
  "boolean>text": { using: (c) => `${c}::text`, rule: "converts" },
  "date>datetime": { using: (c) => `${c}::timestamptz`, rule: "converts" },
  "date>text": { using: (c) => `to_char(${c}, 'YYYY-MM-DD')`, rule: "converts" },
  "datetime>date": {
    using: (c) => `(${c} AT TIME ZONE 'UTC')::date`,
    fails: (c) => `${c} <> date_trunc('day', ${c} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
    rule: "is at midnight UTC (a date-time with a time of day would lose it)",
  },
  "datetime>text": { using: iso, rule: "converts" },
  "multienum>text": { using: (c) => `${c}[1]`, fails: (c) => `cardinality(${c}) > 1`, rule: "has at most one value" },
  "reference>text": { using: (c) => `${c}::text`, rule: "converts" },
  "json>text": { using: (c) => `${c} #>> '{}'`, rule: "converts" },
};

/**
 * The conversion of a field's stored values from `from`'s type to `to`'s, or undefined when the pair cannot
 * change in place at all (money to or from a one-column type).
 */
export function conversionOf(from: FieldDefinition, to: FieldDefinition): Conversion | undefined {
  const a = kindOf(from.type);
  const b = kindOf(to.type);
  if ((a === "money") !== (b === "money")) return undefined;
  if (a === "reference" && b === "reference" && from.target !== to.target)
    return { unsupported: true, fails: () => "true", rule: `is empty (it points at ${from.target} records)` };
  if (a === b) return { rule: "converts" };
  const declared = MATRIX[`${a}>${b}`];
  if (declared) return declared;
  const sqlType = columnsOf(to)[0].sqlType;
  return { unsupported: true, using: () => `NULL::${sqlType}`, fails: () => "true", rule: "is empty" };
}
