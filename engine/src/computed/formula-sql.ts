import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { entityTable, quoteIdent } from "../storage/identifiers";
import type { FormulaNode } from "./formula-ast";
import { FORMULA_FUNCTIONS } from "./formula-functions";
import { parseFormula } from "./formula-parser";
import { sqlTextLiteral } from "./sql-text-literal";

/** A formula's SQL over a row of its table, given how that table is named in the query (`data."order"`, `"o"`). */
export type FormulaSql = (table: string) => string;

const BINARY_SQL: Record<string, string> = { "=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
const CAST: Record<string, string> = {
  text: "text",
  decimal: "numeric",
  boolean: "boolean",
  date: "date",
  datetime: "timestamptz",
};
/** Integer formulas beyond JavaScript's safe integers are NULL rather than an error or a wrong number. */
const SAFE_INTEGER = "9007199254740991";

/**
 * Compiles a formula field (already type-checked when it was saved) to one SQL expression without bindings:
 * names become quoted columns of the row's table, `customer.tier` a scalar subquery on the target's table,
 * strings `U&'…'` literals with every non-alphanumeric character escaped (so no quote, `?` or backslash is
 * ever spliced), numbers their validated digits. Arithmetic runs on numeric; `/` by zero gives NULL.
 *
 * @example
 * formulaSql(order, {name: "total", type: "formula", expression: "qty * price", resultType: "decimal"})('data."order"')
 * // '((((data."order"."qty")::numeric * (data."order"."price")::numeric))::numeric)'
 */
export function formulaSql(entity: EntityDefinition, field: FieldDefinition): FormulaSql {
  const node = parseFormula(field.expression ?? "null");
  const resultType = field.resultType ?? "text";
  return (table) => {
    const sql = nodeSql(node, entity, table);
    if (resultType !== "integer") return `((${sql})::${CAST[resultType]})`;
    return `(CASE WHEN abs((${sql})::numeric) <= ${SAFE_INTEGER} THEN round((${sql})::numeric)::bigint END)`;
  };
}

function nodeSql(node: FormulaNode, entity: EntityDefinition, table: string): string {
  const sql = (n: FormulaNode) => nodeSql(n, entity, table);
  switch (node.kind) {
    case "number":
      return node.text;
    case "string":
      return sqlTextLiteral(node.value);
    case "boolean":
      return node.value ? "TRUE" : "FALSE";
    case "null":
      return "NULL";
    case "field":
      return `${table}.${quoteIdent(node.name)}`;
    case "ref": {
      const via = entity.fields.find((f) => f.name === node.via);
      const target = entityTable(via?.target ?? entity.name);
      return `(SELECT "_kehu_ref".${quoteIdent(node.name)} FROM ${target} AS "_kehu_ref" WHERE "_kehu_ref".id = ${table}.${quoteIdent(node.via)})`;
    }
    case "unary":
      return node.op === "not" ? `(NOT (${sql(node.arg)}))` : `(- (${sql(node.arg)})::numeric)`;
    case "binary": {
      const [l, r] = [sql(node.left), sql(node.right)];
      if (node.op === "and" || node.op === "or") return `((${l}) ${node.op.toUpperCase()} (${r}))`;
      // Against the literal null, = and != test for a missing value, as the expression evaluator does.
      if ((node.op === "=" || node.op === "!=") && (node.left.kind === "null" || node.right.kind === "null"))
        return `((${node.left.kind === "null" ? r : l}) IS ${node.op === "=" ? "" : "NOT "}NULL)`;
      if (node.op === "/") return `((${l})::numeric / NULLIF((${r})::numeric, 0))`;
      if (node.op in BINARY_SQL) return `((${l}) ${BINARY_SQL[node.op]} (${r}))`;
      return `((${l})::numeric ${node.op} (${r})::numeric)`;
    }
    case "call":
      return FORMULA_FUNCTIONS[node.name].sql(node.args.map(sql));
  }
}
