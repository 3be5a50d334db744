import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "@kehu/core";
import type { EngineContext } from "../engine-context";
import { bulkUpsert } from "../records/bulk-upsert";
import { entityTableRef } from "../storage/identifiers";
import { resolveSeedLookups } from "./seed-lookups";

/**
 * Loads `<app>/seed/<entity>.json` (an array of records) into each entity that has no records yet, in file
 * name order (prefix files with numbers when one entity refers to another). A reference may be written as a lookup,
 * `{"code": "C1001"}`, of a record loaded before. Returns the count per entity.
 */
export async function seedEmptyEntities(
  ctx: EngineContext,
  appDir: string,
  actor: string,
): Promise<Record<string, number>> {
  const dir = join(appDir, "seed");
  if (!existsSync(dir)) return {};
  const loaded: Record<string, number> = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const name = file.replace(/^\d+-/, "").replace(/\.json$/, "");
    const entity = ctx.registry.get(name);
    if (!entity) throw new AppError("unknown_entity", `seed/${file}: no entity named "${name}"`);
    const existing = await ctx.db.knex(entityTableRef(name)).whereNull("deleted_at").first("id");
    if (existing) continue;
    const written = JSON.parse(readFileSync(join(dir, file), "utf8"));
    const records = await resolveSeedLookups(ctx.db.knex, entity, written, file, (n) => ctx.registry.get(n));
    const result = await bulkUpsert(ctx.db.knex, entity, records, {}, actor);
    loaded[name] = result.created;
  }
  return loaded;
}
