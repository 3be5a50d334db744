import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import knexFactory, { type Knex } from "knex";
import pg from "pg";
import { lockDataDir } from "./data-dir-lock";
import { PgLiteClient } from "./pglite-client";
import { migrateSystemSchema } from "./system-schema";
import { VALUE_PARSERS } from "./value-parsers";

export type Backend = "pglite" | "postgres";

/** An open database: the knex handle every query goes through, and how to close it. */
export interface Database {
  readonly knex: Knex;
  readonly backend: Backend;
  close(): Promise<void>;
}

export type DatabaseConfig =
  | { backend: "postgres"; url: string; poolSize?: number }
  | { backend: "pglite"; dataDir?: string; loadDataDir?: Blob };

for (const [oid, parse] of Object.entries(VALUE_PARSERS)) pg.types.setTypeParser(Number(oid), parse);

/** Opens PostgreSQL or an embedded PGlite and brings Kehu's own schema up to date. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const db = config.backend === "postgres" ? openPostgres(config.url, config.poolSize) : await openPglite(config);
  try {
    await migrateSystemSchema(db.knex);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

function openPostgres(url: string, poolSize = 20): Database {
  const knex = knexFactory({
    client: "pg",
    connection: { connectionString: url, options: "-c TimeZone=UTC -c DateStyle=ISO" },
    pool: { min: 0, max: poolSize },
    // Connection failures reach the caller as errors; knex would also print them with a stack to stdout.
    log: { warn() {}, error() {}, deprecate() {}, debug() {} },
  });
  return { knex, backend: "postgres", close: () => knex.destroy() };
}

async function openPglite(config: { dataDir?: string; loadDataDir?: Blob }): Promise<Database> {
  const unlock = config.dataDir ? lockDataDir(config.dataDir) : () => {};
  let instance: PGlite;
  try {
    instance = await PGlite.create({
      dataDir: config.dataDir,
      loadDataDir: config.loadDataDir,
      extensions: { pg_trgm },
      parsers: VALUE_PARSERS,
    });
    await instance.exec("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO'");
  } catch (e) {
    unlock();
    throw e;
  }
  const knex = knexFactory({
    client: PgLiteClient as unknown as typeof knexFactory.Client,
    dialect: "postgres",
    connection: () => ({ pglite: instance }) as object,
  } as Knex.Config);
  return {
    knex,
    backend: "pglite",
    async close() {
      await knex.destroy();
      if (!instance.closed) await instance.close();
      unlock();
    },
  };
}

/** Dumps an in-memory PGlite's data dir, for tests that clone a prepared database. */
export async function dumpPgliteDataDir(knex: Knex): Promise<Blob> {
  const conn = (await knex.client.acquireConnection()) as { pglite?: PGlite } | PGlite;
  try {
    const instance = "pglite" in conn && conn.pglite ? conn.pglite : (conn as PGlite);
    return await instance.dumpDataDir("none");
  } finally {
    await knex.client.releaseConnection(conn);
  }
}
