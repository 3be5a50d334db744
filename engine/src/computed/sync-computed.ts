import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { runSql } from "../metadata/run-sql";
import { readStoredEntities } from "../metadata/stored-entities";
import { columnsOf, isMoneyRollup } from "../storage/columns";
import { currencyColumn, entityTable, quoteIdent } from "../storage/identifiers";
import { autonumberRoutine } from "./autonumber-sql";
import { rollupRoutine } from "./rollup-sql";

const PREFIXES = ["kehu_rollup__", "kehu_autonumber__"];

/**
 * Brings the database's rollup and autonumber triggers in line with the stored definitions, inside the
 * applying transaction: (re)creates every wanted routine, drops the ones no field asks for any more (a
 * removed rollup, a renamed field, a dropped entity), recomputes a rollup column that is new or whose
 * definition changed, and numbers existing rows of a new autonumber. Runs after all plans of an apply, so
 * a rollup may name a child defined in the same batch.
 */
export async function syncComputedRoutines(trx: Knex, before: ReadonlyMap<string, { definition: EntityDefinition }>) {
  const after = await readStoredEntities(trx);
  const wanted = new Set<string>();
  for (const { definition: entity } of after.values())
    for (const field of entity.fields) {
      const old = before.get(entity.name)?.definition.fields.find((f) => f.name === field.name);
      if (field.type === "rollup") {
        const child = after.get(field.child as string)?.definition;
        if (!child) continue;
        const routine = rollupRoutine(entity, field, child);
        for (const name of [routine.name, ...routine.triggers]) wanted.add(name);
        // A kept rollup that starts or stops folding money gains or loses its currency column (plans see one column).
        const currency = `${entityTable(entity.name)} ${isMoneyRollup(field) ? "ADD COLUMN IF NOT EXISTS" : "DROP COLUMN IF EXISTS"} ${quoteIdent(currencyColumn(field.name))}`;
        if (isMoneyRollup(field) || (old && isMoneyRollup(old)))
          await runSql(trx, `ALTER TABLE ${currency}${isMoneyRollup(field) ? " text" : ""}`);
        for (const sql of routine.create) await runSql(trx, sql);
        if (!old || rollupKey(old) !== rollupKey(field)) {
          // count is stored as bigint, the others as numeric: a changed function may need the other type.
          const { sqlType } = columnsOf(field)[0];
          await runSql(
            trx,
            `ALTER TABLE ${entityTable(entity.name)} ALTER COLUMN ${quoteIdent(field.name)} TYPE ${sqlType}`,
          );
          await runSql(trx, routine.backfill);
        }
      } else if (field.type === "autonumber") {
        const routine = autonumberRoutine(entity, field);
        wanted.add(routine.name);
        for (const sql of routine.create) await runSql(trx, sql);
        // New here (added, re-added by a revert, renamed) or re-patterned: its numbers may predate its counters.
        if (old?.type !== "autonumber" || old.pattern !== field.pattern) await runSql(trx, routine.raiseCounters);
        if (old?.type !== "autonumber") await runSql(trx, routine.backfill);
      }
    }
  await dropUnwanted(trx, wanted);
}

function rollupKey(f: FieldDefinition): string {
  return JSON.stringify([f.type, f.child, f.via, f.function, f.field, f.filter ?? null, f.rateDate ?? null]);
}

async function dropUnwanted(trx: Knex, wanted: ReadonlySet<string>): Promise<void> {
  const like = PREFIXES.map((p) => `${p.replaceAll("_", "\\_")}%`);
  const triggers = await trx.raw(
    `SELECT t.tgname AS name, c.relname AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'data' AND (t.tgname LIKE ? OR t.tgname LIKE ?)`,
    like,
  );
  for (const t of triggers.rows as Array<{ name: string; table: string }>)
    if (!wanted.has(t.name)) await trx.raw("DROP TRIGGER ?? ON ??", [t.name, `data.${t.table}`]);
  const functions = await trx.raw(
    `SELECT p.proname AS name, p.oid::regprocedure::text AS signature FROM pg_proc p
     JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'kehu' AND (p.proname LIKE ? OR p.proname LIKE ?)`,
    like,
  );
  for (const f of functions.rows as Array<{ name: string; signature: string }>) {
    const base = f.name.endsWith("_t") && !wanted.has(f.name) ? f.name.slice(0, -2) : f.name;
    if (!wanted.has(base) && !wanted.has(f.name)) await runSql(trx, `DROP FUNCTION ${f.signature}`);
  }
}
