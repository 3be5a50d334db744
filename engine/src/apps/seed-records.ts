import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "@kehu/core";
import type { Knex } from "knex";
import type { EngineContext } from "../engine-context";
import { bulkUpsert } from "../records/bulk-upsert";
import { RecordStore } from "../records/record-store";
import { referrersOf } from "../records/referrers";
import { Access } from "../security/access";
import { recordHooksOf } from "../security/record-hooks";
import { principalByLogin } from "../security/user-principal";
import { findUserByLogin } from "../security/users";
import { entityTableRef } from "../storage/identifiers";
import { resolveSeedLookups } from "./seed-lookups";

/**
 * Loads `<app>/seed/<entity>.json` (an array of records) into each entity that has no records yet, in file
 * name order (prefix files with numbers when one entity refers to another). A reference may be written as a lookup,
 * `{"code": "C1001"}`, of a record loaded before; `"$owner": "<login>"` makes that user (and their department) own
 * the record, so department-scoped roles see a realistic share. Seed records are history: they are stored as they
 * are, and no workflow starts for them. A record marked `"$live": true` (with its `$owner`) is entered instead, after
 * the others, by its owner through the record store (their permissions, the audit trail and the record triggers),
 * so the template's workflows start for it as if that user had just typed it in: a contract submitted for approval
 * waits in a manager's inbox, a new lead gets assigned. The starts are queued; the caller runs them. Live records
 * are entered only with `live` (the demo); without it (tests of a template's history) they are left out. Returns
 * the count per entity.
 */
export async function seedEmptyEntities(
  ctx: EngineContext,
  appDir: string,
  actor: string,
  options: { live?: boolean } = {},
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
    const written: SeedRecord[] = JSON.parse(readFileSync(join(dir, file), "utf8"));
    if (!Array.isArray(written)) throw new AppError("validation_failed", `seed/${file}: must be an array of records`);
    const wanted = options.live ? written : written.filter((r) => r?.$live !== true);
    const records = await resolveSeedLookups(ctx.db.knex, entity, wanted, file, (n) => ctx.registry.get(n));
    // One transaction per file: a bad record or owner leaves none of the file's records behind.
    loaded[name] = await ctx.db.knex.transaction(async (trx) => {
      let created = 0;
      const live = records.filter((r) => r.$live === true);
      for (const [owner, group] of groupByOwner(records.filter((r) => r.$live !== true))) {
        const stamp = owner === undefined ? undefined : await ownerStamp(trx, owner, file);
        created += (await bulkUpsert(trx, entity, group, {}, actor, { stamp })).created;
      }
      for (const { $live: _, $owner, ...record } of live) {
        if (typeof $owner !== "string")
          throw new AppError("validation_failed", `seed/${file}: a "$live" record needs the "$owner" who enters it`);
        const access = await ownerAccess(ctx, trx, $owner, file);
        // What the data API checks before its store: the demo shows only what the owner could have typed in.
        try {
          access.require(entity.name, "create");
          access.assertWritable(entity.name, record);
        } catch (e) {
          throw new AppError(
            "validation_failed",
            `seed/${file}: $owner "${$owner}" is refused: ${(e as Error).message}`,
          );
        }
        const store = new RecordStore(
          trx,
          entity,
          referrersOf(ctx.registry.list(), entity.name),
          recordHooksOf(access, entity),
        );
        await store.create(record, $owner);
        created++;
      }
      return created;
    });
  }
  return loaded;
}

type SeedRecord = Record<string, unknown>;

/** Records grouped by their `$owner` login (undefined: no owner), the key removed. */
function groupByOwner(records: SeedRecord[]): Map<string | undefined, SeedRecord[]> {
  const groups = new Map<string | undefined, SeedRecord[]>();
  for (const { $owner, ...record } of records) {
    const key = typeof $owner === "string" ? $owner : undefined;
    const group = groups.get(key);
    if (group) group.push(record);
    else groups.set(key, [record]);
  }
  return groups;
}

/** What the owner of a `$live` seed record may do, as when they sign in. */
async function ownerAccess(ctx: EngineContext, knex: Knex, login: string, file: string): Promise<Access> {
  const user = await principalByLogin(knex, login, "api");
  if (!user) throw new AppError("validation_failed", `seed/${file}: $owner "${login}" is not a user (seed/users.yaml)`);
  if (!user.active) throw new AppError("validation_failed", `seed/${file}: $owner "${login}" is not an active user`);
  return Access.load(knex, user.principal, (n) => ctx.registry.get(n));
}

async function ownerStamp(knex: Knex, login: string, file: string) {
  const user = await findUserByLogin(knex, login);
  if (!user) throw new AppError("validation_failed", `seed/${file}: $owner "${login}" is not a user (seed/users.yaml)`);
  return { owner_id: user.id as string, department_id: (user.department_id as string | null) ?? null };
}
