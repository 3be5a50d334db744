import type { EntityDefinition, FieldDefinition, RevisionDiff } from "@kehu/schema";
import { sameJson } from "./definition-equality";
import { matchFields } from "./field-matching";

export type { RevisionDiff } from "@kehu/schema";

/** The difference between two definitions of an entity (either absent for a creation or a deletion). */
export function revisionDiff(before: EntityDefinition | null, after: EntityDefinition | null): RevisionDiff {
  const { kept, added, dropped } = matchFields(before?.fields ?? [], after?.fields ?? []);
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})].filter((k) => k !== "fields"));
  const entityKey = (d: EntityDefinition | null, k: string) => (d as Record<string, unknown> | null)?.[k];
  return {
    added: added.map((f) => f.name),
    dropped: dropped.map((f) => f.name),
    renamed: kept.filter((p) => p.old.name !== p.next.name).map((p) => ({ from: p.old.name, to: p.next.name })),
    changed: kept
      .map((p) => ({ field: p.next.name, options: optionChanges(p.old, p.next) }))
      .filter((c) => c.options.length),
    entity:
      before && after
        ? [...keys]
            .filter((k) => k !== "name" && !sameJson(entityKey(before, k), entityKey(after, k)))
            .map((key) => ({ key, before: entityKey(before, key), after: entityKey(after, key) }))
        : [],
  };
}

function optionChanges(old: FieldDefinition, next: FieldDefinition) {
  const keys = new Set([...Object.keys(old), ...Object.keys(next)]);
  keys.delete("name");
  keys.delete("id");
  const value = (f: FieldDefinition, k: string) => (f as Record<string, unknown>)[k];
  return [...keys]
    .filter((k) => !sameJson(value(old, k), value(next, k)))
    .map((key) => ({ key, before: value(old, key), after: value(next, key) }));
}
