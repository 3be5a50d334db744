/** The comparison operators of the filter AST, shared by the engine's filter compiler and the studio's builder. */
export const FILTER_OPERATORS = [
  "eq",
  "ne",
  "lt",
  "lte",
  "gt",
  "gte",
  "in",
  "nin",
  "between",
  "contains",
  "startsWith",
  "isNull",
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** How a queryable column compares: decides the operators, the value checks and whether it sorts. */
export type FilterValueKind =
  | "text"
  | "longtext"
  | "enum"
  | "multienum"
  | "integer"
  | "int4"
  | "decimal"
  | "boolean"
  | "date"
  | "datetime"
  | "uuid"
  | "json";

const ORDERED: readonly FilterOperator[] = ["eq", "ne", "lt", "lte", "gt", "gte", "in", "nin", "between", "isNull"];
/** Which operators apply to which kind of column. */
export const OPERATORS_BY_KIND: Record<FilterValueKind, readonly FilterOperator[]> = {
  text: FILTER_OPERATORS,
  longtext: FILTER_OPERATORS,
  enum: ["eq", "ne", "in", "nin", "isNull"],
  multienum: ["eq", "ne", "contains", "in", "nin", "isNull"],
  integer: ORDERED,
  int4: ORDERED,
  decimal: ORDERED,
  date: ORDERED,
  datetime: ORDERED,
  boolean: ["eq", "ne", "isNull"],
  uuid: ["eq", "ne", "in", "nin", "isNull"],
  json: ["isNull"],
};
