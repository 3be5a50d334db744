import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import type { Backend } from "../storage/database";

const inProcess = new WeakMap<Knex, Set<string>>();
const DROPPED_HOLDER_WAIT_MS = 2000;

/**
 * Holds the right to run a connection: one run per connection at a time. On PostgreSQL a session advisory lock
 * on a dedicated connection, which the server frees when a killed process's connection drops; on PGlite (one
 * process owns the database) a set in memory. A connection already running is refused after at most two seconds.
 * Returns the release.
 */
export async function acquireRunLock(knex: Knex, backend: Backend, connection: string): Promise<() => Promise<void>> {
  const busy = () => new AppError("conflict", `A sync run of connection "${connection}" is already running`);
  if (backend === "pglite") {
    const held = inProcess.get(knex) ?? new Set<string>();
    inProcess.set(knex, held);
    if (held.has(connection)) throw busy();
    held.add(connection);
    return async () => {
      held.delete(connection);
    };
  }
  const client = knex.client as { acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<void> };
  const conn = await client.acquireConnection();
  const key = `kehu.sync:${connection}`;
  try {
    // A run killed a moment ago holds the lock until the server has noticed its connection drop: wait that long.
    const until = Date.now() + DROPPED_HOLDER_WAIT_MS;
    for (;;) {
      const { rows } = await knex.raw("SELECT pg_try_advisory_lock(hashtext(?)) AS ok", [key]).connection(conn);
      if (rows[0].ok) break;
      if (Date.now() >= until) throw busy();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (e) {
    await client.releaseConnection(conn);
    throw e;
  }
  return async () => {
    try {
      await knex.raw("SELECT pg_advisory_unlock(hashtext(?))", [key]).connection(conn);
    } finally {
      await client.releaseConnection(conn);
    }
  };
}
