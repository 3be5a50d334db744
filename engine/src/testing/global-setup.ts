import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import knexFactory from "knex";
import type { TestProject } from "vitest/node";
import { dumpPgliteDataDir, openDatabase } from "../storage/database";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteBase: string;
    postgresTemplate: string;
  }
}

/**
 * Builds one migrated database per test run for every test file to copy: on PGlite a dump each file loads (~0.7 s),
 * on PostgreSQL a template database each file's database is created from (~0.2 s instead of ~1.5 s of migrations).
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) return setupPostgresTemplate(project, url);
  const dir = mkdtempSync(join(tmpdir(), "kehu-test-base-"));
  const file = join(dir, "base.tar");
  const db = await openDatabase({ backend: "pglite" });
  const dump = await dumpPgliteDataDir(db.knex);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  project.provide("pgliteBase", file);
  project.provide("postgresTemplate", "");
  return () => rmSync(dir, { recursive: true, force: true });
}

async function setupPostgresTemplate(project: TestProject, url: string) {
  const name = `kehu_test_template_${process.pid}`;
  const admin = knexFactory({ client: "pg", connection: url, pool: { min: 0, max: 1 } });
  await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.raw(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openDatabase({ backend: "postgres", url: target.toString(), poolSize: 1 });
  await db.close();
  project.provide("pgliteBase", "");
  project.provide("postgresTemplate", name);
  return async () => {
    await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.destroy();
  };
}
