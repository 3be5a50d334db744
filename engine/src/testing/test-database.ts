import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import knexFactory from "knex";
import { type Database, openDatabase } from "../storage/database";

/** Which backend the tests run on: PostgreSQL when DATABASE_URL is set, else PGlite. */
export const testBackend = process.env.DATABASE_URL ? "postgres" : "pglite";

/** The migrated template database of this test run (global-setup), or none outside vitest. */
async function postgresTemplate(): Promise<string | undefined> {
  try {
    return (await import("vitest")).inject("postgresTemplate") || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A fresh, migrated database for one test file: a copy of the prepared PGlite, or a new database on the
 * PostgreSQL server of DATABASE_URL, dropped again by `close()`.
 */
export async function openTestDatabase(basePath?: string): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const path = basePath ?? (await import("vitest")).inject("pgliteBase");
    return openDatabase({ backend: "pglite", loadDataDir: new Blob([readFileSync(path)]) });
  }
  const name = `kehu_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const template = await postgresTemplate();
  const admin = knexFactory({ client: "pg", connection: url, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openDatabase({ backend: "postgres", url: target.toString(), poolSize: 10 });
  return {
    ...db,
    async close() {
      await db.close();
      const dropper = knexFactory({ client: "pg", connection: url, pool: { min: 0, max: 1 } });
      try {
        await dropper.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.destroy();
      }
    },
  };
}
