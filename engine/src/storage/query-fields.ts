import { isUuid } from "@kehu/core";
import type { EntityDefinition, FieldDefinition, FieldType, FilterValueKind } from "@kehu/schema";
import { enumValueNames } from "@kehu/schema";
import { formulaSql } from "../computed/formula-sql";
import { isMoneyRollup } from "./columns";
import { currencyColumn, entityTable, quoteIdent } from "./identifiers";

/** How a queryable column compares: decides the operators, the value checks and whether it sorts. */
export type ValueKind = FilterValueKind;

/** A name a filter or sort may use (`tier`, `credit`, `credit.currency`, `created_at`), resolved to its column. */
export interface QueryField {
  name: string;
  column: string;
  kind: ValueKind;
  /** False for system columns declared NOT NULL; lets keyset predicates skip `IS NULL` branches. */
  nullable: boolean;
  /** Declared values of an enum or multienum. */
  enumValues?: ReadonlySet<string>;
  /** A formula's SQL over the row's table (`data."order"` or an alias), used instead of the column. */
  expression?: (table: string) => string;
}

/** A JS value ready to be a query binding. */
export type Binding = string | number | boolean | null;

/** A piece of SQL with its `?` bindings, for `whereRaw` / `orderByRaw`. */
export interface SqlFragment {
  sql: string;
  bindings: Binding[];
}

const KIND_OF_TYPE: Record<FieldType, ValueKind> = {
  text: "text",
  longtext: "longtext",
  email: "text",
  phone: "text",
  url: "text",
  integer: "integer",
  decimal: "decimal",
  money: "decimal",
  boolean: "boolean",
  date: "date",
  datetime: "datetime",
  enum: "enum",
  multienum: "multienum",
  reference: "uuid",
  json: "json",
  formula: "text",
  rollup: "decimal",
  autonumber: "text",
};

const FORMULA_KINDS: Record<string, ValueKind> = {
  text: "text",
  integer: "integer",
  decimal: "decimal",
  boolean: "boolean",
  date: "date",
  datetime: "datetime",
};

/** System fields a query may use. `deleted_at` is there for the trash view (`includeDeleted`). */
const SYSTEM_QUERY_FIELDS: QueryField[] = [
  { name: "id", column: "id", kind: "uuid", nullable: false },
  { name: "version", column: "version", kind: "int4", nullable: false },
  { name: "created_at", column: "created_at", kind: "datetime", nullable: false },
  { name: "updated_at", column: "updated_at", kind: "datetime", nullable: false },
  { name: "created_by", column: "created_by", kind: "text", nullable: true },
  { name: "owner_id", column: "owner_id", kind: "uuid", nullable: true },
  { name: "department_id", column: "department_id", kind: "uuid", nullable: true },
  { name: "deleted_at", column: "deleted_at", kind: "datetime", nullable: true },
];

const cache = new WeakMap<EntityDefinition, Map<string, QueryField>>();

/** Every name a filter or sort may use on an entity, in a stable order (fields, then system fields). */
export function queryFields(entity: EntityDefinition): Map<string, QueryField> {
  let map = cache.get(entity);
  if (!map) {
    map = new Map();
    for (const f of entity.fields) for (const q of fieldQueryFields(f, entity)) map.set(q.name, q);
    for (const q of SYSTEM_QUERY_FIELDS) if (!map.has(q.name)) map.set(q.name, q);
    cache.set(entity, map);
  }
  return map;
}

function fieldQueryFields(field: FieldDefinition, entity: EntityDefinition): QueryField[] {
  if (field.type === "formula")
    return [
      {
        name: field.name,
        column: field.name,
        kind: FORMULA_KINDS[field.resultType ?? "text"],
        nullable: true,
        expression: formulaSql(entity, field),
      },
    ];
  const kind = field.type === "rollup" && field.function === "count" ? "integer" : KIND_OF_TYPE[field.type];
  if (kind === undefined) return [];
  const base: QueryField = { name: field.name, column: field.name, kind, nullable: true };
  if (kind === "enum" || kind === "multienum") base.enumValues = new Set(enumValueNames(field));
  if (field.type !== "money" && !isMoneyRollup(field)) return [base];
  // A money field filters and sorts by its amount; `credit.amount` says so explicitly, `credit.currency` is the code.
  return [
    base,
    { ...base, name: `${field.name}.amount` },
    { name: `${field.name}.currency`, column: currencyColumn(field.name), kind: "text", nullable: true },
  ];
}

/** The SQL of a query field: its quoted column, or a formula's expression, qualified by `alias` when given. */
export function queryFieldSql(entity: EntityDefinition, f: QueryField, alias?: string): string {
  if (f.expression) return f.expression(alias ? quoteIdent(alias) : entityTable(entity.name));
  return alias ? `${quoteIdent(alias)}.${quoteIdent(f.column)}` : quoteIdent(f.column);
}

/** The field of that name, or undefined. Never reads inherited properties, so `__proto__` is just unknown. */
export function resolveQueryField(entity: EntityDefinition, name: string): QueryField | undefined {
  return queryFields(entity).get(name);
}

/** Whether a kind may appear in ORDER BY (json, multienum and longtext may not). */
export function isSortable(kind: ValueKind): boolean {
  return kind !== "json" && kind !== "multienum" && kind !== "longtext";
}

export type ParsedValue = { ok: true; value: Binding } | { ok: false; message: string };

const DECIMAL = /^[+-]?\d{1,100}(\.\d{1,100})?$/;
const INTEGER = /^[+-]?\d{1,16}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-](\d{2})(?::?(\d{2}))?)?)?$/;
const INT4_MIN = -2147483648;
const INT4_MAX = 2147483647;

const ok = (value: Binding): ParsedValue => ({ ok: true, value });
const fail = (message: string): ParsedValue => ({ ok: false, message });

/**
 * Checks one comparison value against a column kind and returns the binding to send. Everything the database
 * would refuse (a bad date, an int4 overflow, a NUL byte) is refused here, so a caller's mistake is a 400.
 * Enum membership is the filter's business (a cursor may carry a value no longer declared).
 */
export function parseKindValue(kind: ValueKind, value: unknown): ParsedValue {
  switch (kind) {
    case "text":
    case "longtext":
    case "enum":
    case "multienum":
      if (typeof value !== "string") return fail(`expected a string, got ${describe(value)}`);
      if (value.includes("\u0000")) return fail("text may not contain the NUL character");
      return ok(value);
    case "integer":
    case "int4":
      return parseInteger(
        value,
        kind === "int4" ? INT4_MIN : Number.MIN_SAFE_INTEGER,
        kind === "int4" ? INT4_MAX : Number.MAX_SAFE_INTEGER,
      );
    case "decimal":
      if (typeof value === "number")
        return Number.isFinite(value) ? ok(String(value)) : fail(`expected a finite number, got ${value}`);
      if (typeof value === "string" && DECIMAL.test(value)) return ok(value);
      return fail(`expected a decimal number or decimal string like "12.50", got ${describe(value)}`);
    case "boolean":
      return typeof value === "boolean" ? ok(value) : fail(`expected true or false, got ${describe(value)}`);
    case "date":
      return typeof value === "string" && validDate(value)
        ? ok(value)
        : fail(`expected a date like "2024-05-31", got ${describe(value)}`);
    case "datetime":
      return typeof value === "string" && validDatetime(value)
        ? ok(value)
        : fail(`expected an ISO 8601 date-time like "2024-05-31T08:30:00Z", got ${describe(value)}`);
    case "uuid":
      return isUuid(value) ? ok(value) : fail(`expected a uuid, got ${describe(value)}`);
    case "json":
      return fail("json fields can only be tested with isNull");
  }
}

function parseInteger(value: unknown, min: number, max: number): ParsedValue {
  const n = typeof value === "number" ? value : typeof value === "string" && INTEGER.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n)) return fail(`expected an integer, got ${describe(value)}`);
  if (n < min || n > max) return fail(`integer out of range [${min}, ${max}]`);
  return ok(n);
}

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  return m !== null && validYmd(Number(m[1]), Number(m[2]), Number(m[3]));
}

function validYmd(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(2000, m, 0)).getUTCDate(); // leap year 2000: February has 29
  if (m === 2 && d === 29) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= days;
}

function validDatetime(s: string): boolean {
  const m = DATETIME.exec(s);
  if (!m || !validYmd(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  const [hh, mi, ss, , oh, om] = [m[4], m[5], m[6], m[7], m[8], m[9]].map((x) => (x === undefined ? 0 : Number(x)));
  return hh <= 23 && mi <= 59 && ss <= 59 && oh <= 15 && om <= 59;
}

/** A short description of a value for messages: `"abc"`, `12`, `an object`. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}
