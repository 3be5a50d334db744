import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { syncComputedRoutines } from "../computed/sync-computed";
import { lockMetadata } from "../metadata/metadata-lock";
import { runSql } from "../metadata/run-sql";
import { readStoredEntities, type StoredEntity } from "../metadata/stored-entities";
import { createTableSql } from "../storage/entity-ddl";
import { migrateSystemSchema } from "../storage/system-schema";
import { type CatalogSnapshot, readCatalog } from "./catalog-snapshot";

/** What the database has, what Kehu's code would build from the stored metadata, and the definitions themselves. */
export interface DoctorSnapshots {
  live: CatalogSnapshot;
  expected: CatalogSnapshot;
  liveSteps: number[];
  expectedSteps: number[];
  entities: Map<string, EntityDefinition>;
}

const SCHEMAS = ["kehu", "data"] as const;
const LIVE_AT = { kehu: "kehu_doctor_live_kehu", data: "kehu_doctor_live_data" } as const;

class Rollback extends Error {}

/**
 * Reads the live catalog, then derives the expected one with the very code that builds it: inside a transaction
 * that is always rolled back, the live schemas are renamed aside, the system steps run into a fresh `kehu`, every
 * stored entity's table is created from its definition in a fresh `data`, and the computed routines are synced.
 * The metadata lock keeps definitions from changing meanwhile. Nothing of this is ever committed.
 */
export async function takeDoctorSnapshots(knex: Knex): Promise<DoctorSnapshots> {
  let result: DoctorSnapshots | undefined;
  await knex
    .transaction(async (trx) => {
      await lockMetadata(trx);
      const live = await readCatalog(trx, SCHEMAS);
      const liveSteps = await stepIds(trx, "kehu");
      const stored = await readStoredEntities(trx);
      for (const schema of SCHEMAS) await trx.raw(`ALTER SCHEMA ${schema} RENAME TO ${LIVE_AT[schema]}`);
      await migrateSystemSchema(trx);
      await buildEntities(trx, stored);
      const expected = await readCatalog(trx, SCHEMAS);
      const expectedSteps = await stepIds(trx, "kehu");
      const entities = new Map([...stored].map(([name, s]) => [name, s.definition]));
      result = { live, expected, liveSteps, expectedSteps, entities };
      throw new Rollback();
    })
    .catch((e) => {
      if (e instanceof Rollback) return;
      throw new Error(`the doctor could not build the expected schema to compare with: ${(e as Error).message}`, {
        cause: e,
      });
    });
  if (!result) throw new Error("doctor: the catalog snapshot was not taken");
  return result;
}

async function buildEntities(trx: Knex.Transaction, stored: Map<string, StoredEntity>): Promise<void> {
  for (const [name, { definition, revision }] of stored)
    await trx("kehu.entities").insert({ name, definition: JSON.stringify(definition), revision });
  for (const { definition } of stored.values()) for (const sql of createTableSql(definition)) await runSql(trx, sql);
  // The definitions count as unchanged, so no rollup is recomputed and no row numbered: there are none.
  await syncComputedRoutines(trx, stored);
}

async function stepIds(knex: Knex, schema: string): Promise<number[]> {
  const rows: Array<{ id: number }> = await knex(`${schema}.system_migrations`).select("id").orderBy("id");
  return rows.map((r) => Number(r.id));
}
