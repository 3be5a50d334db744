import { AppError } from "@kehu/core";
import type { Knex } from "knex";

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

/**
 * Turns off triggers and foreign-key checks until the transaction ends, so restored rows keep the values they had:
 * roll-ups are not added twice, autonumbers not drawn again, permission versions not bumped.
 */
export async function suspendTriggers(trx: Knex.Transaction): Promise<void> {
  try {
    await trx.transaction((sp) => sp.raw("SET LOCAL session_replication_role = replica"));
  } catch (e) {
    throw new AppError(
      "forbidden",
      `Restore loads rows with triggers and foreign keys suspended (session_replication_role = replica), which this database role may not do (${(e as Error).message}); run the restore as a superuser, or GRANT SET ON PARAMETER session_replication_role to this role`,
    );
  }
}
