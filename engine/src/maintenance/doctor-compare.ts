import type { EntityDefinition } from "@kehu/schema";
import { createTableSql } from "../storage/entity-ddl";
import { quoteIdent } from "../storage/identifiers";
import { groupOf, ifNotExists, qualified } from "./catalog-names";
import type { ColumnShape, TableShape } from "./catalog-snapshot";
import { type ComputedOwner, computedOwners } from "./computed-owners";
import { compareFunctions, compareTableObjects } from "./doctor-compare-objects";
import type { Finding } from "./doctor-finding";
import type { DoctorSnapshots } from "./doctor-snapshots";

/** Context the comparisons share: definitions and the routines that serve them. */
export interface CompareContext {
  entities: ReadonlyMap<string, EntityDefinition>;
  owners: ReadonlyMap<string, ComputedOwner>;
}

/** Every difference between the live catalog and the expected one, each with its repair when one is safe. */
export function compareSnapshots(s: DoctorSnapshots): Finding[] {
  const ctx: CompareContext = { entities: s.entities, owners: computedOwners(s.entities) };
  const findings: Finding[] = [...compareSteps(s.liveSteps, s.expectedSteps)];
  const keys = new Set([...s.expected.tables.keys(), ...s.live.tables.keys()]);
  for (const key of keys) {
    const expected = s.expected.tables.get(key);
    const live = s.live.tables.get(key);
    if (expected && !live) findings.push(missingTable(ctx, expected));
    else if (!expected && live) findings.push(extraTable(live));
    if (expected && live) findings.push(...compareColumns(expected, live));
    if (expected) findings.push(...compareTableObjects(ctx, expected, live));
  }
  findings.push(...compareFunctions(ctx, s.expected.functions, s.live.functions));
  return findings;
}

function compareSteps(live: number[], expected: number[]): Finding[] {
  const missing = expected.filter((id) => !live.includes(id));
  const unknown = live.filter((id) => !expected.includes(id));
  return [
    ...missing.map(
      (id): Finding => ({
        kind: "missing_system_step",
        group: "system",
        object: `system step ${id}`,
        severity: "drift",
        reason: "run `kehu migrate`",
      }),
    ),
    ...unknown.map(
      (id): Finding => ({
        kind: "unknown_system_step",
        group: "system",
        object: `system step ${id}`,
        severity: "drift",
        reason: "a newer Kehu migrated this database; run that version",
      }),
    ),
  ];
}

function missingTable(ctx: CompareContext, t: TableShape): Finding {
  const base = { kind: "missing_table", group: groupOf(t), object: `table ${t.schema}.${t.name}` } as const;
  const entity = t.schema === "data" ? ctx.entities.get(t.name) : undefined;
  if (!entity) return { ...base, severity: "drift", reason: "Kehu's own table is gone: restore it from a backup" };
  const backfills = [...ctx.owners.values()].filter((o) => o.entity === entity.name).map((o) => o.backfill);
  return {
    ...base,
    severity: "drift",
    repair: {
      sql: createTableSql(entity),
      after: [...new Set(backfills)],
      order: 0,
      description: "create the table from its definition (its rows are gone)",
    },
  };
}

function extraTable(t: TableShape): Finding {
  return {
    kind: "extra_table",
    group: groupOf(t),
    object: `table ${t.schema}.${t.name}`,
    severity: t.schema === "data" ? "drift" : "notice",
    reason: "no definition describes it; apply one, or drop the table yourself",
  };
}

function compareColumns(expected: TableShape, live: TableShape): Finding[] {
  const out: Finding[] = [];
  const table = qualified(expected);
  const base = (c: { name: string }) => ({ group: groupOf(expected), object: `column ${c.name}` });
  for (const e of expected.columns.values()) {
    const l = live.columns.get(e.name);
    if (!l) {
      out.push({
        ...base(e),
        kind: "missing_column",
        expected: describeColumn(e),
        severity: "drift",
        repair: {
          sql: [addColumnSql(table, e)],
          order: 1,
          description: e.generated ? "add the generated column" : "add the column (its values are gone)",
        },
      });
      continue;
    }
    if (e.generated !== l.generated || (e.generated && e.type !== l.type)) {
      out.push({
        ...base(e),
        kind: "generated_drift",
        expected: describeColumn(e),
        actual: describeColumn(l),
        severity: "drift",
        repair: {
          sql: [`ALTER TABLE ${table} DROP COLUMN ${quoteIdent(e.name)}`, ...rebuildGenerated(expected, e)],
          order: 2,
          description: "re-create the generated column",
        },
      });
      continue;
    }
    if (e.type !== l.type) out.push({ ...base(e), ...typeDrift(expected, live, e, l) });
    if (e.notNull !== l.notNull)
      out.push({
        ...base(e),
        kind: "nullability_drift",
        expected: e.notNull ? "NOT NULL" : "nullable",
        actual: l.notNull ? "NOT NULL" : "nullable",
        severity: "drift",
        repair: {
          sql: [`ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(e.name)} ${e.notNull ? "SET" : "DROP"} NOT NULL`],
          precheck: e.notNull ? { kind: "no_nulls", table, column: e.name } : undefined,
          order: 3,
          description: e.notNull ? "set NOT NULL" : "drop NOT NULL",
        },
      });
    if (e.default !== l.default)
      out.push({
        ...base(e),
        kind: "default_drift",
        expected: e.default ?? "no default",
        actual: l.default ?? "no default",
        severity: "drift",
        repair: {
          sql: [
            `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(e.name)} ${e.default === null ? "DROP DEFAULT" : `SET DEFAULT ${e.default}`}`,
          ],
          order: 3,
          description: e.default === null ? "drop the default" : "set the default back",
        },
      });
  }
  for (const l of live.columns.values())
    if (!expected.columns.has(l.name))
      out.push({
        ...base(l),
        kind: "extra_column",
        actual: describeColumn(l),
        severity: "drift",
        repair: {
          sql: [`ALTER TABLE ${table} DROP COLUMN ${quoteIdent(l.name)}`],
          precheck: { kind: "empty_column", table, column: l.name },
          order: 8,
          description: "drop the column (it holds no values)",
        },
      });
  return out;
}

function typeDrift(expected: TableShape, live: TableShape, e: ColumnShape, l: ColumnShape) {
  const table = qualified(expected);
  const col = quoteIdent(e.name);
  // A generated column reading this one must go while its type changes, and comes back after.
  const dependents = [...expected.columns.values()].filter(
    (g) => g.generated && mentions(g.generated, e.name) && live.columns.has(g.name),
  );
  return {
    kind: "type_drift" as const,
    expected: e.type,
    actual: l.type,
    severity: "drift" as const,
    repair: {
      sql: [
        ...dependents.map((g) => `ALTER TABLE ${table} DROP COLUMN ${quoteIdent(g.name)}`),
        `ALTER TABLE ${table} ALTER COLUMN ${col} TYPE ${e.type} USING (${col}::${e.type})`,
        ...dependents.flatMap((g) => rebuildGenerated(expected, g)),
      ],
      precheck: { kind: "lossless_type" as const, table, column: e.name, type: e.type },
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

function addColumnSql(table: string, c: ColumnShape): string {
  return `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${columnSql(c)}`;
}

function describeColumn(c: ColumnShape): string {
  const parts = [c.type];
  if (c.generated) parts.push(`generated as (${c.generated})`);
  if (c.notNull) parts.push("not null");
  if (c.default !== null) parts.push(`default ${c.default}`);
  return parts.join(", ");
}
