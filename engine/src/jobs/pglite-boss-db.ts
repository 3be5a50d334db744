import type { Knex } from "knex";
import type { Db } from "pg-boss";

interface PgliteConnection {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  exec(text: string): Promise<Array<{ rows?: unknown[] }>>;
}

/**
 * pg-boss's `db` over the engine's PGlite. PGlite is one session, and knex-pglite issues BEGIN/COMMIT as plain
 * statements on it, so pg-boss must not use the PGlite instance directly (its statements would land inside a request's
 * transaction): each statement borrows knex's single pooled connection, so it runs between transactions. Statements
 * with parameters go through `query`; pg-boss's parameterless multi-statement blocks through `exec`, with the rows of
 * every statement returned (pg-boss reads a RETURNING in the middle of a block).
 */
export function pgliteBossDb(knex: Knex): Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      const conn = (await knex.client.acquireConnection()) as PgliteConnection;
      try {
        if (values?.length) return await conn.query(text, values);
        const results = await conn.exec(text);
        return { rows: results.flatMap((r) => r.rows ?? []) };
      } catch (e) {
        // A failed block leaves the single session in an aborted transaction; end it so later statements run.
        await conn.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        await knex.client.releaseConnection(conn);
      }
    },
  };
}
