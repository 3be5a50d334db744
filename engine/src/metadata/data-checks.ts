import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { entityTable } from "../storage/identifiers";
import type { DataCheck, MigrationPlan } from "./migration-plan";
import { runSql } from "./run-sql";

const SAMPLE = 20;

/** Rows that stop a plan: which rule, how many rows, and the first ids and values. */
export interface OffendingRows {
  entity: string;
  path: string;
  rule: string;
  count: number;
  ids: string[];
  values: Array<string | null>;
}

/**
 * Runs the plans' checks against the current tables and throws `migration_refused` naming every failing rule
 * with its row count, ids and values. Conversion checks run first: rule checks may compute converted values,
 * which only works once every value is known to convert.
 */
export async function assertDataFits(knex: Knex, plans: readonly MigrationPlan[]): Promise<void> {
  for (const phase of ["convert", "rule"] as const) {
    const offending: OffendingRows[] = [];
    for (const plan of plans)
      for (const check of plan.steps.flatMap((s) => s.checks ?? []))
        if (check.phase === phase) {
          const found = await runCheck(knex, plan.entity, check);
          if (found) offending.push(found);
        }
    if (offending.length) throw refusal(offending);
  }
}

async function runCheck(knex: Knex, entity: string, check: DataCheck): Promise<OffendingRows | undefined> {
  const table = entityTable(entity);
  const base = { entity, path: `/${entity}${check.path}`, rule: check.rule };
  if (check.kind === "rows") {
    const { rows } = await runSql<{ rows: Array<{ id: string; value: string | null; total: number }> }>(
      knex,
      `SELECT id::text AS id, ${check.value} AS value, (count(*) OVER ())::int AS total FROM ${table} WHERE ${check.where} ORDER BY id LIMIT ${SAMPLE}`,
    );
    if (!rows.length) return undefined;
    return { ...base, count: rows[0].total, ids: rows.map((r) => r.id), values: rows.map((r) => r.value) };
  }
  const values = check.values.map((v) => `(${v})`);
  const { rows } = await runSql<{ rows: Array<{ value: string; ids: string[]; total: number }> }>(
    knex,
    `SELECT concat_ws(', ', ${values.map((v) => `${v}::text`).join(", ")}) AS value, to_json((array_agg(id::text ORDER BY id))[1:${SAMPLE}]) AS ids, (sum(count(*)) OVER ())::int AS total
     FROM ${table} WHERE deleted_at IS NULL AND ${values.map((v) => `${v} IS NOT NULL`).join(" AND ")}
     GROUP BY ${values.join(", ")} HAVING count(*) > 1 ORDER BY count(*) DESC, 1 LIMIT ${SAMPLE}`,
  );
  if (!rows.length) return undefined;
  const ids = rows.flatMap((r) => r.ids).slice(0, SAMPLE);
  return { ...base, count: rows[0].total, ids, values: rows.map((r) => r.value) };
}

function refusal(offending: OffendingRows[]): AppError {
  const issues = offending.map((o) => ({
    path: o.path,
    message: `${o.count} row(s) break the rule "${o.rule}" (ids: ${o.ids.join(", ")}${o.count > o.ids.length ? ", ..." : ""})`,
  }));
  const total = offending.reduce((n, o) => n + o.count, 0);
  return new AppError(
    "migration_refused",
    `The change does not fit the existing data (${total} offending row(s)); fix or remove those rows, or add a new field and copy`,
    issues,
    { offending },
  );
}
