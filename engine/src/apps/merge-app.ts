import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { newFieldId } from "../metadata/field-ids";
import { matchFields } from "../metadata/field-matching";
import { canonicalEntity } from "./canonical-entity";
import { type DecideConflict, type MergeConflict, MergeLog, same } from "./merge-conflict";
import { mergeEntity } from "./merge-entity";

export interface AppMerge {
  /** The definitions to apply: the template's entities merged with the local ones. */
  definitions: EntityDefinition[];
  /** The template's entities with the field ids they get: what to record as installed. */
  base: EntityDefinition[];
  conflicts: MergeConflict[];
  /** Keys of local edits kept where the template did not change the same thing. */
  keptLocal: string[];
  /** Entities the template no longer defines: kept, since deleting an entity is never implied. */
  dropped: string[];
}

/**
 * The three-way merge of an app upgrade, entity by entity: `installed` is the template as last applied (the
 * base), `template` the new files, `local(name)` the current stored definition. Entities only the template
 * has are added; an entity deleted locally stays deleted unless the template changed it (a conflict).
 *
 * @example
 * mergeApp(installedV1, filesV2, (n) => registry.get(n), () => undefined)
 * // {definitions: [...], base: [...], conflicts: [{key: "customer.fields.tier.label", ...}], keptLocal: [...]}
 */
export function mergeApp(
  installed: readonly EntityDefinition[],
  template: readonly EntityDefinition[],
  local: (name: string) => EntityDefinition | undefined,
  decide: DecideConflict,
): AppMerge {
  const log = new MergeLog(decide);
  const definitions: EntityDefinition[] = [];
  const base: EntityDefinition[] = [];
  const installedByName = new Map(installed.map((e) => [e.name, e]));
  for (const next of template) {
    const was = installedByName.get(next.name);
    const mine = local(next.name);
    if (mine) {
      const merged = mergeEntity(log, was, next, mine);
      definitions.push(merged.definition);
      base.push(merged.base);
      continue;
    }
    const fresh = withTemplateIds(next, was);
    base.push(fresh);
    if (was && same(canonicalEntity(withTemplateIds(next, was)), canonicalEntity(was))) continue;
    if (!was) {
      definitions.push(fresh);
      continue;
    }
    const reason = "deleted locally; the template changes it";
    if (log.conflict({ key: next.name, reason }) === "template") definitions.push(fresh);
  }
  const names = new Set(template.map((e) => e.name));
  const dropped = installed.filter((e) => !names.has(e.name) && local(e.name)).map((e) => e.name);
  return { definitions, base, conflicts: log.conflicts, keptLocal: log.keptLocal, dropped };
}

/** The template's entity with the ids of the installed fields it continues, and new ids for the others. */
export function withTemplateIds(template: EntityDefinition, installed?: EntityDefinition): EntityDefinition {
  const { oldOf } = matchFields(installed?.fields ?? [], template.fields);
  const fields = template.fields.map(
    ({ renamedFrom: _, ...f }, i): FieldDefinition => ({
      ...f,
      id: f.id ?? oldOf[i]?.id ?? newFieldId(),
    }),
  );
  return canonicalEntity({ ...template, fields });
}
