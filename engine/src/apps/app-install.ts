import type { EntityDefinition } from "@kehu/schema";
import type { EngineContext } from "../engine-context";
import { type ApplyResult, applyInTransaction } from "../metadata/apply-entities";
import { lockMetadata } from "../metadata/metadata-lock";
import type { AppManifest } from "./app-manifest";
import { type InstalledApp, readInstalledApp, recordInstalledApp } from "./installed-apps";
import { type AppMerge, mergeApp, withTemplateIds } from "./merge-app";
import { type AppDocuments, mergeAppDocuments } from "./merge-app-documents";
import { type DecideConflict, MergeLog } from "./merge-conflict";

/** What applying an app package does: a first install takes the template as it is; later ones merge. */
export interface AppInstall {
  manifest: AppManifest;
  /** The version installed before, if any. */
  installed?: InstalledApp;
  /** The entity definitions to apply. */
  definitions: EntityDefinition[];
  /** The template's entities with their field ids: recorded as installed once applied. */
  base: EntityDefinition[];
  /** The three-way merge, when the app was installed before. */
  merge?: AppMerge;
  /** The template's forms and roles: recorded as installed once applied. */
  documents?: AppDocuments;
  /** The forms and roles to apply: the template's merged with the stored ones (local edits kept). */
  mergedDocuments?: AppDocuments;
}

/**
 * Plans applying an app package. When a version is installed, its recorded metadata (base), the package's
 * entities (template) and the stored ones (local) are merged three ways, so local edits survive an upgrade;
 * conflicts are decided by `decide` or left open (`merge.conflicts` without `taken`).
 */
export async function planAppInstall(
  ctx: EngineContext,
  manifest: AppManifest,
  template: EntityDefinition[],
  decide: DecideConflict,
  documents?: AppDocuments,
): Promise<AppInstall> {
  const installed = await readInstalledApp(ctx.db.knex, manifest.name);
  if (!installed) {
    const definitions = template.map((e) => withTemplateIds(e, ctx.registry.get(e.name)));
    return { manifest, definitions, base: definitions, documents, mergedDocuments: documents };
  }
  const merge = mergeApp(installed.entities, template, (n) => ctx.registry.get(n), decide);
  let mergedDocuments = documents;
  if (documents) {
    const log = new MergeLog(decide);
    mergedDocuments = await mergeAppDocuments(ctx.db.knex, log, installed.documents, documents);
    merge.conflicts.push(...log.conflicts);
    merge.keptLocal.push(...log.keptLocal);
  }
  return {
    manifest,
    installed,
    definitions: merge.definitions,
    base: merge.base,
    merge,
    documents,
    mergedDocuments,
  };
}

/** Conflicts no decision was given for: while any remain, nothing is applied. */
export function openConflicts(install: AppInstall) {
  return install.merge?.conflicts.filter((c) => !c.taken) ?? [];
}

/** Applies the planned definitions and records the installed version in one transaction. */
export async function applyAppInstall(
  ctx: EngineContext,
  install: AppInstall,
  opts: { confirm: boolean; actor: string; breaks?: string[] },
): Promise<ApplyResult> {
  const result = await ctx.db.knex.transaction(async (trx) => {
    await lockMetadata(trx);
    const applied: ApplyResult = install.definitions.length
      ? await applyInTransaction(ctx, trx, install.definitions, opts)
      : { plans: [], applied: false, revisions: [], impact: [] };
    await recordInstalledApp(trx, installedRecord(install), opts.actor);
    return applied;
  });
  if (result.applied) await ctx.registry.refresh();
  return result;
}

/** What an applied install records as installed: the template's entities, forms and roles (the next base). */
export function installedRecord(install: AppInstall) {
  return { ...install.manifest, entities: install.base, documents: install.documents };
}
