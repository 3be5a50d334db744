import type { EntityDefinition } from "@kehu/schema";
import { createTableSql } from "../storage/entity-ddl";
import { groupOf } from "./catalog-names";
import type { TableShape } from "./catalog-snapshot";
import { type ComputedOwner, computedOwners } from "./computed-owners";
import { compareColumns } from "./doctor-compare-columns";
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
