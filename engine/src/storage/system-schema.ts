import type { Knex } from "knex";

/**
 * Kehu's own tables, as an ordered list of steps. A step is never edited once released;
 * a change is a new step. `kehu migrate` and every start run the ones not yet applied.
 */
const STEPS: Array<{ id: number; name: string; up: (k: Knex) => Promise<void> }> = [
  {
    id: 1,
    name: "metadata and revisions",
    up: async (k) => {
      await k.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm");
      await k.raw("CREATE SCHEMA IF NOT EXISTS data");
      await k.schema.withSchema("kehu").createTable("entities", (t) => {
        t.text("name").primary();
        t.jsonb("definition").notNullable();
        t.integer("revision").notNullable();
        t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(k.fn.now());
      });
      await k.schema.withSchema("kehu").createTable("revisions", (t) => {
        t.bigIncrements("id").primary();
        t.text("entity").notNullable().index();
        t.text("actor").notNullable();
        t.timestamp("at", { useTz: true }).notNullable().defaultTo(k.fn.now());
        t.text("action").notNullable();
        t.jsonb("before");
        t.jsonb("after");
        t.jsonb("plan").notNullable();
      });
      await k.schema.withSchema("kehu").createTable("archived_values", (t) => {
        t.bigIncrements("id").primary();
        t.bigInteger("revision_id").notNullable().index();
        t.text("entity").notNullable();
        t.text("field");
        t.uuid("record_id").notNullable();
        t.jsonb("value");
      });
    },
  },
];

/** Applies the system steps not yet applied, each in its own transaction, under an advisory lock. */
export async function migrateSystemSchema(knex: Knex): Promise<number[]> {
  await knex.raw("CREATE SCHEMA IF NOT EXISTS kehu");
  await knex.raw(
    "CREATE TABLE IF NOT EXISTS kehu.system_migrations (id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
  );
  const applied: number[] = [];
  for (const step of STEPS) {
    await knex.transaction(async (trx) => {
      // Serialises concurrent starts of several processes on one PostgreSQL.
      await trx.raw("SELECT pg_advisory_xact_lock(7263541)");
      const done = await trx("kehu.system_migrations").where({ id: step.id }).first();
      if (done) return;
      await step.up(trx);
      await trx("kehu.system_migrations").insert({ id: step.id, name: step.name });
      applied.push(step.id);
    });
  }
  return applied;
}
