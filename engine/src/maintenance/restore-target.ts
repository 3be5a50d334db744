import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import { quoteIdent } from "../storage/identifiers";
import { BACKUP_SCHEMAS, quoteTable } from "./backup-tables";

/**
 * Refuses a target that holds Kehu data: any entity table, entity definition, user, revision or audit row. A
 * database Kehu only migrated (or never saw) passes; rows the system steps seed are replaced by the backup's.
 */
export async function assertEmptyTarget(knex: Knex): Promise<void> {
  const { rows } = await knex.raw(
    `SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = 'data')::int AS tables,
       (SELECT count(*) FROM kehu.entities)::int AS entities, (SELECT count(*) FROM kehu.users)::int AS users,
       (SELECT count(*) FROM kehu.revisions)::int AS revisions, (SELECT count(*) FROM kehu.audit_log)::int AS audit`,
  );
  const c = rows[0] as Record<"tables" | "entities" | "users" | "revisions" | "audit", number>;
  const held = [
    [c.tables, "entity table"],
    [c.entities, "entity definition"],
    [c.users, "user"],
    [c.revisions, "revision"],
    [c.audit, "audit row"],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, what]) => `${n} ${what}${n === 1 ? "" : "s"}`);
  if (held.length)
    throw new AppError(
      "conflict",
      `The target database is not empty (it has ${held.join(", ")}); restore into a new database: one Kehu has never started on, or only migrated`,
    );
}

/** Triggers and foreign keys held off while rows load; `resume` puts them back before the transaction commits. */
export interface TriggerSuspension {
  /** Holds off the triggers of tables created since (the entity tables). */
  coverNewTables(): Promise<void>;
  resume(): Promise<void>;
}

/**
 * Holds off triggers and foreign-key checks, so restored rows keep the values they had: roll-ups are not added
 * twice, autonumbers not drawn again, permission versions not bumped, and rows load in any order. A superuser
 * does it for the session (`session_replication_role = replica`); the database owner, who may not, disables each
 * table's triggers and drops its foreign keys, adding them back at the end, which checks every restored row.
 */
export async function suspendTriggers(trx: Knex.Transaction): Promise<TriggerSuspension> {
  try {
    await trx.transaction((sp) => sp.raw("SET LOCAL session_replication_role = replica"));
    return { coverNewTables: async () => {}, resume: async () => {} };
  } catch {
    return suspendPerTable(trx);
  }
}

async function suspendPerTable(trx: Knex.Transaction): Promise<TriggerSuspension> {
  const inSchemas = `n.nspname IN (${BACKUP_SCHEMAS.map(() => "?").join(", ")})`;
  const { rows: keys } = await trx.raw(
    `SELECT n.nspname || '.' || c.relname AS table, con.conname AS name, pg_get_constraintdef(con.oid) AS def
     FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE con.contype = 'f' AND ${inSchemas}`,
    [...BACKUP_SCHEMAS],
  );
  const foreignKeys = keys as Array<{ table: string; name: string; def: string }>;
  const tables = async (): Promise<string[]> => {
    const { rows } = await trx.raw(
      `SELECT n.nspname || '.' || c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND ${inSchemas}`,
      [...BACKUP_SCHEMAS],
    );
    return (rows as Array<{ table: string }>).map((r) => r.table);
  };
  const disabled = new Set<string>();
  const disableAll = async () => {
    for (const table of await tables())
      if (!disabled.has(table)) {
        await trx.raw(`ALTER TABLE ${quoteTable(table)} DISABLE TRIGGER USER`);
        disabled.add(table);
      }
  };
  try {
    for (const k of foreignKeys)
      await trx.raw(`ALTER TABLE ${quoteTable(k.table)} DROP CONSTRAINT ${quoteIdent(k.name)}`);
    await disableAll();
  } catch (e) {
    throw new AppError(
      "forbidden",
      `Restore must hold off triggers and foreign keys while it loads rows, and this database role may do neither (${(e as Error).message}); run it as a superuser or as the owner of Kehu's tables`,
    );
  }
  return {
    coverNewTables: disableAll,
    async resume() {
      for (const k of foreignKeys)
        await trx.raw(`ALTER TABLE ${quoteTable(k.table)} ADD CONSTRAINT ${quoteIdent(k.name)} ${k.def}`);
      for (const table of disabled) await trx.raw(`ALTER TABLE ${quoteTable(table)} ENABLE TRIGGER USER`);
    },
  };
}
