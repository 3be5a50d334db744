import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";

/** An app as it was last applied: its version and the template's entities then (the base of the next merge). */
export interface InstalledApp {
  name: string;
  version: string;
  entities: EntityDefinition[];
  installedBy: string;
  installedAt: Date;
}

export async function readInstalledApp(knex: Knex, name: string): Promise<InstalledApp | undefined> {
  const row = await knex("kehu.installed_apps").where({ name }).first();
  if (!row) return undefined;
  return {
    name: row.name,
    version: row.version,
    entities: row.entities,
    installedBy: row.installed_by,
    installedAt: new Date(row.installed_at),
  };
}

/** Records (or replaces) the installed version and base of an app. */
export async function recordInstalledApp(
  knex: Knex,
  app: { name: string; version: string; entities: EntityDefinition[] },
  actor: string,
): Promise<void> {
  await knex("kehu.installed_apps")
    .insert({
      name: app.name,
      version: app.version,
      entities: JSON.stringify(app.entities),
      installed_by: actor,
      installed_at: knex.fn.now(),
    })
    .onConflict("name")
    .merge();
}
