import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { isAppError } from "@kehu/core";
import { type Database, type DatabaseConfig, openDatabase } from "../storage/database";
import { type CliIo, writeLines } from "./cli-io";

/** The data dir of the embedded database when `KEHU_DATA_DIR` does not name one, relative to the working directory. */
export const DEFAULT_DATA_DIR = join(".kehu", "data");

/** PostgreSQL when `DATABASE_URL` is set, else PGlite in `KEHU_DATA_DIR` (default `.kehu/data`). */
export function databaseConfig(env: CliIo["env"], cwd: string): DatabaseConfig {
  if (env.DATABASE_URL) return { backend: "postgres", url: env.DATABASE_URL };
  return { backend: "pglite", dataDir: resolve(cwd, env.KEHU_DATA_DIR || DEFAULT_DATA_DIR) };
}

/** One line naming the database, with any password hidden. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.backend === "pglite") return `PGlite (embedded), data dir ${config.dataDir ?? "in memory"}`;
  try {
    const url = new URL(config.url);
    if (url.password) url.password = "***";
    return `PostgreSQL at ${url.toString()}`;
  } catch {
    return "PostgreSQL (DATABASE_URL)";
  }
}

/** Opens the database of the environment (system migrations run on open), saying what it opens. */
export async function openCliDatabase(io: CliIo, quiet = false): Promise<{ db: Database; config: DatabaseConfig }> {
  const config = databaseConfig(io.env, io.cwd);
  if (!quiet) {
    const fresh = config.backend === "pglite" && config.dataDir && !existsSync(join(config.dataDir, "PG_VERSION"));
    writeLines(
      io.stdout,
      `Opening ${describeDatabase(config)}${fresh ? " (creating it; this takes a few seconds)" : ""}…`,
    );
  }
  try {
    return { db: await (io.openDatabase ?? openDatabase)(config), config };
  } catch (e) {
    if (isAppError(e)) throw e;
    // e.g. "connect ECONNREFUSED 127.0.0.1:5432" says nothing of which database the command tried
    throw new Error(`cannot open ${describeDatabase(config)}: ${(e as Error).message}`, { cause: e });
  }
}
