import { quoteIdent } from "../storage/identifiers";
import { groupOf, ifNotExists, qualified } from "./catalog-names";
import type { ColumnShape, TableShape } from "./catalog-snapshot";
import type { Finding } from "./doctor-finding";

/** Columns of a table that exists on both sides: missing, extra, and each property that drifted. */
export function compareColumns(expected: TableShape, live: TableShape): Finding[] {
  const out: Finding[] = [];
  const base = (c: { name: string }) => ({ group: groupOf(expected), object: `column ${c.name}` });
  for (const e of expected.columns.values()) {
    const l = live.columns.get(e.name);
    if (!l) out.push({ ...base(e), ...missingColumn(expected, e) });
    else if (e.generated !== l.generated || (e.generated && e.type !== l.type))
      out.push({ ...base(e), ...generatedDrift(expected, e, l) });
    else {
      if (e.type !== l.type) out.push({ ...base(e), ...typeDrift(expected, live, e, l) });
      out.push(...settingDrifts(expected, e, l).map((f) => ({ ...base(e), ...f })));
    }
  }
  for (const l of live.columns.values())
    if (!expected.columns.has(l.name)) out.push({ ...base(l), ...extraColumn(expected, l) });
  return out;
}

type ColumnFinding = Omit<Finding, "group" | "object">;

function missingColumn(expected: TableShape, e: ColumnShape): ColumnFinding {
  return {
    kind: "missing_column",
    expected: describeColumn(e),
    severity: "drift",
    repair: {
      sql: [`ALTER TABLE ${qualified(expected)} ADD COLUMN IF NOT EXISTS ${columnSql(e)}`],
      order: 1,
      description: e.generated ? "add the generated column" : "add the column (its values are gone)",
    },
  };
}

function generatedDrift(expected: TableShape, e: ColumnShape, l: ColumnShape): ColumnFinding {
  return {
    kind: "generated_drift",
    expected: describeColumn(e),
    actual: describeColumn(l),
    severity: "drift",
    repair: {
      sql: [`ALTER TABLE ${qualified(expected)} DROP COLUMN ${quoteIdent(e.name)}`, ...rebuildGenerated(expected, e)],
      order: 2,
      description: "re-create the generated column",
    },
  };
}

/** NOT NULL and the default: set back as they should be (NOT NULL only once no row lacks a value). */
function settingDrifts(expected: TableShape, e: ColumnShape, l: ColumnShape): ColumnFinding[] {
  const table = qualified(expected);
  const alter = `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(e.name)}`;
  const out: ColumnFinding[] = [];
  if (e.notNull !== l.notNull)
    out.push({
      kind: "nullability_drift",
      expected: e.notNull ? "NOT NULL" : "nullable",
      actual: l.notNull ? "NOT NULL" : "nullable",
      severity: "drift",
      repair: {
        sql: [`${alter} ${e.notNull ? "SET" : "DROP"} NOT NULL`],
        precheck: e.notNull ? { kind: "no_nulls", table, column: e.name } : undefined,
        order: 3,
        description: e.notNull ? "set NOT NULL" : "drop NOT NULL",
      },
    });
  if (e.default !== l.default)
    out.push({
      kind: "default_drift",
      expected: e.default ?? "no default",
      actual: l.default ?? "no default",
      severity: "drift",
      repair: {
        sql: [`${alter} ${e.default === null ? "DROP DEFAULT" : `SET DEFAULT ${e.default}`}`],
        order: 3,
        description: e.default === null ? "drop the default" : "set the default back",
      },
    });
  return out;
}

function extraColumn(expected: TableShape, l: ColumnShape): ColumnFinding {
  const table = qualified(expected);
  return {
    kind: "extra_column",
    actual: describeColumn(l),
    severity: "drift",
    repair: {
      sql: [`ALTER TABLE ${table} DROP COLUMN ${quoteIdent(l.name)}`],
      precheck: { kind: "empty_column", table, column: l.name },
      order: 8,
      description: "drop the column (it holds no values)",
    },
  };
}

function typeDrift(expected: TableShape, live: TableShape, e: ColumnShape, l: ColumnShape): ColumnFinding {
  const table = qualified(expected);
  const col = quoteIdent(e.name);
  // A generated column reading this one must go while its type changes, and comes back after.
  const dependents = [...expected.columns.values()].filter(
    (g) => g.generated && mentions(g.generated, e.name) && live.columns.has(g.name),
  );
  return {
    kind: "type_drift",
    expected: e.type,
    actual: l.type,
    severity: "drift",
    repair: {
      sql: [
        ...dependents.map((g) => `ALTER TABLE ${table} DROP COLUMN ${quoteIdent(g.name)}`),
        `ALTER TABLE ${table} ALTER COLUMN ${col} TYPE ${e.type} USING (${col}::${e.type})`,
        ...dependents.flatMap((g) => rebuildGenerated(expected, g)),
      ],
      precheck: { kind: "lossless_type", table, column: e.name, type: e.type },
      order: 2,
      description: `change the type back to ${e.type}`,
    },
  };
}

/** Adds a generated column back with the indexes on it. */
function rebuildGenerated(table: TableShape, column: ColumnShape): string[] {
  const indexes = [...table.indexes.values()].filter((def) => mentions(def.slice(def.indexOf(" USING ")), column.name));
  return [`ALTER TABLE ${qualified(table)} ADD COLUMN IF NOT EXISTS ${columnSql(column)}`, ...indexes.map(ifNotExists)];
}

function mentions(sql: string, column: string): boolean {
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\w"])("?)${escaped}\\2([^\\w"]|$)`).test(sql);
}

function columnSql(c: ColumnShape): string {
  if (c.generated) return `${quoteIdent(c.name)} ${c.type} GENERATED ALWAYS AS (${c.generated}) STORED`;
  const withDefault = c.default === null ? "" : ` DEFAULT ${c.default}`;
  return `${quoteIdent(c.name)} ${c.type}${withDefault}${c.notNull && c.default !== null ? " NOT NULL" : ""}`;
}

function describeColumn(c: ColumnShape): string {
  const parts = [c.type];
  if (c.generated) parts.push(`generated as (${c.generated})`);
  if (c.notNull) parts.push("not null");
  if (c.default !== null) parts.push(`default ${c.default}`);
  return parts.join(", ");
}
