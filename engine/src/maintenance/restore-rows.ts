import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { quoteIdent } from "../storage/identifiers";
import type { BackupTable } from "./backup-format";
import { quoteTable } from "./backup-tables";

const BATCH = 500;

/** Collects one table's rows and inserts them a batch at a time. */
export interface TableLoader {
  table: string;
  insert: (batch: Array<Array<string | null>>) => Promise<void>;
  pending: Array<Array<string | null>>;
  loaded: number;
  flush(): Promise<number>;
}

/**
 * A loader for `table`, or undefined when the target has no such table (pg-boss's, before it ran). Rows are sent
 * as one JSON array per batch and each text cast to the target column's type, exactly as PostgreSQL reads its own
 * text; the target's seeded rows (e.g. the permissions version) give way to the backup's.
 */
export async function tableLoader(
  trx: Knex.Transaction,
  table: string,
  columns: BackupTable["columns"],
): Promise<TableLoader | undefined> {
  const [schema, name] = [table.slice(0, table.indexOf(".")), table.slice(table.indexOf(".") + 1)];
  const { rows } = await trx.raw(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''`,
    [schema, name],
  );
  if (!rows.length) return undefined;
  const types = new Map((rows as Array<{ name: string; type: string }>).map((r) => [r.name, r.type]));
  const unknown = columns.filter((c) => !types.has(c.name)).map((c) => c.name);
  if (unknown.length)
    throw new AppError(
      "conflict",
      `The backup's ${table} has column${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")} that this database's table lacks; restore with the Kehu that made the backup`,
    );
  const target = quoteTable(table);
  // Rows the system steps seeded give way; an empty table is left alone (the audit log refuses any DELETE).
  const seeded = await trx.raw(`SELECT EXISTS (SELECT 1 FROM ${target}) AS any`);
  if (seeded.rows[0].any) await trx.raw(`DELETE FROM ${target}`);
  const names = columns.map((c) => quoteIdent(c.name)).join(", ");
  const values = columns.map((c, i) => `(r->>${i})::${types.get(c.name)}`).join(", ");
  const sql = `INSERT INTO ${target} (${names}) OVERRIDING SYSTEM VALUE SELECT ${values} FROM json_array_elements(?::json) AS r`;
  const loader: TableLoader = {
    table,
    pending: [],
    loaded: 0,
    insert: async (batch) => {
      await trx.raw(sql, [JSON.stringify(batch)]);
    },
    async flush() {
      if (loader.pending.length) await loader.insert(loader.pending.splice(0));
      return loader.loaded;
    },
  };
  return loader;
}

/** Adds one row, inserting a full batch. */
export async function loadRows(loader: TableLoader, row: Array<string | null>): Promise<void> {
  loader.pending.push(row);
  loader.loaded++;
  if (loader.pending.length >= BATCH) await loader.insert(loader.pending.splice(0));
}
