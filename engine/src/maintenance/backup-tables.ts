import type { Knex } from "knex";
import type { BackupSequence, BackupTable } from "./backup-format";

/** Kehu's schemas, then pg-boss's when present. Kehu's own tables come first: restore needs the definitions early. */
export const BACKUP_SCHEMAS = ["kehu", "data", "pgboss"] as const;

/**
 * Left out on purpose: `system_migrations` travels in the header (the target records its own steps); sessions are
 * live login secrets that a backup file must not carry, and login failures are minutes-long rate-limit windows.
 */
export const SKIPPED_TABLES = new Set(["kehu.system_migrations", "kehu.sessions", "kehu.login_failures"]);

/**
 * Every table of the backed-up schemas from the catalog (partitions are read through their parent), with its
 * stored columns in order; generated columns are left out, as restore computes them again.
 */
export async function listBackupTables(knex: Knex): Promise<BackupTable[]> {
  const { rows } = await knex.raw(
    `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     WHERE n.nspname IN (?, ?, ?) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     ORDER BY array_position(ARRAY['kehu', 'data', 'pgboss'], n.nspname::text), c.relname, a.attnum`,
    [...BACKUP_SCHEMAS],
  );
  const tables = new Map<string, BackupTable>();
  for (const r of rows as Array<{ schema: string; table: string; column: string; type: string }>) {
    const key = `${r.schema}.${r.table}`;
    if (SKIPPED_TABLES.has(key)) continue;
    if (!tables.has(key)) tables.set(key, { table: key, columns: [] });
    tables.get(key)?.columns.push({ name: r.column, type: r.type });
  }
  return [...tables.values()];
}

/** Every sequence of the backed-up schemas with where it stands, so restored rows and new ones never collide. */
export async function readSequences(knex: Knex): Promise<BackupSequence[]> {
  const { rows } = await knex.raw(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'S' AND n.nspname IN (?, ?, ?) ORDER BY 1, 2`,
    [...BACKUP_SCHEMAS],
  );
  const out: BackupSequence[] = [];
  for (const { schema, name } of rows as Array<{ schema: string; name: string }>) {
    const sequence = `${schema}.${name}`;
    const state = await knex.raw("SELECT last_value::text AS value, is_called FROM ??", [sequence]);
    out.push({ sequence, lastValue: state.rows[0].value, isCalled: state.rows[0].is_called });
  }
  return out;
}

/** `kehu.users` as `"kehu"."users"`. */
export function quoteTable(table: string): string {
  const dot = table.indexOf(".");
  return `"${table.slice(0, dot).replaceAll('"', '""')}"."${table.slice(dot + 1).replaceAll('"', '""')}"`;
}
