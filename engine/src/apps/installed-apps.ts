import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import type { AppDocuments } from "./merge-app-documents";

/** An app as it was last applied: its version and the template's entities then (the base of the next merge). */
export interface InstalledApp {
  name: string;
  version: string;
  entities: EntityDefinition[];
  /** The template's forms and roles then; undefined when installed before they were recorded. */
  documents?: AppDocuments;
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
    documents: row.forms && row.roles ? { forms: row.forms, roles: row.roles } : undefined,
    installedBy: row.installed_by,
    installedAt: new Date(row.installed_at),
  };
}

/** Records (or replaces) the installed version and base of an app. */
export async function recordInstalledApp(
  knex: Knex,
  app: { name: string; version: string; entities: EntityDefinition[]; documents?: AppDocuments },
  actor: string,
): Promise<void> {
  await knex("kehu.installed_apps")
    .insert({
      name: app.name,
      version: app.version,
      entities: JSON.stringify(app.entities),
      ...(app.documents && {
        forms: JSON.stringify(app.documents.forms),
        roles: JSON.stringify(app.documents.roles),
      }),
      installed_by: actor,
      installed_at: knex.fn.now(),
    })
    .onConflict("name")
    .merge();
}
