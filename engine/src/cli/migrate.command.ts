import knexFactory, { type Knex } from "knex";
import { migrateSystemSchema } from "../storage/system-schema";
import { databaseConfig, describeDatabase, openCliDatabase } from "./cli-database";
import { writeLines } from "./cli-io";
import type { Command } from "./command";
import { parseCommandArgs } from "./parse-command-args";

type Step = { id: number; name: string; applied_at?: unknown };

async function recordedSteps(knex: Knex): Promise<Step[]> {
  try {
    return await knex("kehu.system_migrations").select("id", "name").orderBy("id");
  } catch (e) {
    // undefined_table / invalid_schema_name: a database Kehu never started on
    if (["42P01", "3F000"].includes((e as { code?: string }).code ?? "")) return [];
    throw e;
  }
}

/** The steps recorded on a PostgreSQL database before this command opens it (and so migrates it). */
async function stepsBefore(url: string): Promise<Set<number>> {
  // knex would print connection failures with their stack on stdout; the error itself is reported instead.
  const knex = knexFactory({ client: "pg", connection: url, pool: { min: 0, max: 1 }, log: { warn: () => {} } });
  try {
    return new Set((await recordedSteps(knex)).map((s) => s.id));
  } finally {
    await knex.destroy();
  }
}

/** `kehu migrate`: brings Kehu's own tables (schema `kehu`) up to date and says which steps it applied. */
export const migrateCommand: Command = {
  name: "migrate",
  synopsis: "migrate",
  summary: "bring Kehu's own tables up to date (every start does this too)",
  async run(argv, io) {
    parseCommandArgs(argv, { command: "migrate", options: {}, positionals: [] });
    const config = databaseConfig(io.env, io.cwd);
    // Opening the database runs the pending steps, so what was applied is found by comparison: on PostgreSQL
    // with the steps recorded before opening; on PGlite (one owner: this process) with the steps recorded
    // since the embedded server started.
    let before: Set<number> | undefined;
    if (config.backend === "postgres" && !io.openDatabase)
      before = await stepsBefore(config.url).catch((e: Error) => {
        throw new Error(`cannot open ${describeDatabase(config)}: ${e.message}`, { cause: e });
      });
    const { db } = await openCliDatabase(io);
    try {
      await migrateSystemSchema(db.knex);
      const all = await recordedSteps(db.knex);
      const applied = before
        ? all.filter((s) => !before.has(s.id))
        : ((await db
            .knex("kehu.system_migrations")
            .select("id", "name")
            .whereRaw("applied_at >= pg_postmaster_start_time()")
            .orderBy("id")) as Step[]);
      if (!applied.length) {
        writeLines(
          io.stdout,
          `Kehu's system schema is up to date (${all.length} step${all.length === 1 ? "" : "s"} applied earlier).`,
        );
        return 0;
      }
      writeLines(
        io.stdout,
        ...applied.map((s) => `  applied ${s.id}: ${s.name}`),
        `Applied ${applied.length} system migration step${applied.length === 1 ? "" : "s"}.`,
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
