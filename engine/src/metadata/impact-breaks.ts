import { type EntityDefinition, enumValueNames, type FieldDefinition } from "@kehu/schema";
import { computedFieldIssues } from "../computed/computed-field-issues";
import { sameJson } from "./definition-equality";
import type { Dependent } from "./dependents";
import { dependentKey, type MetadataDependent, metadataDependents } from "./impact-graph";

/** What a change does to the thing a dependant uses. */
export type ImpactChange = "drop_entity" | "drop_field" | "rename_field" | "change_type" | "remove_values";

/** A dependant the change breaks, with why. */
export interface Broken {
  dependent: Dependent | MetadataDependent;
  change: ImpactChange;
  message: string;
}

export function isMetadata(d: Dependent): d is MetadataDependent {
  return "owner" in d;
}

/** What the change does to (`entity`, `field`) as it stood, or undefined when nothing a dependant would notice. */
export function changeOf(
  stored: ReadonlyMap<string, EntityDefinition>,
  next: ReadonlyMap<string, EntityDefinition>,
  entity: string,
  field: string | undefined,
  values?: readonly string[],
): { change: ImpactChange; text: string } | undefined {
  const before = stored.get(entity);
  // An entity the change leaves alone is the very same object in both maps.
  if (!before || next.get(entity) === before) return undefined;
  // A use of a field the entity no longer has was broken before; this change does not break it again.
  const old = field === undefined ? undefined : before.fields.find((f) => f.name === field);
  if (field !== undefined && !old) return undefined;
  const after = next.get(entity);
  if (!after) return { change: "drop_entity", text: `which goes away with entity ${entity}` };
  if (!old) return undefined;
  const same = after.fields.find((f) => f.name === field);
  if (same) {
    const gone = (values ?? []).filter((v) => enumValueNames(old).includes(v) && !enumValueNames(same).includes(v));
    if (!gone.length || (same.type !== "enum" && same.type !== "multienum")) return undefined;
    return {
      change: "remove_values",
      text: `whose value(s) ${gone.map((v) => `"${v}"`).join(", ")} this change removes`,
    };
  }
  const moved = after.fields.find((f) => f.id !== undefined && f.id === old.id);
  return moved
    ? { change: "rename_field", text: `which this change renames to ${entity}.${moved.name}` }
    : { change: "drop_field", text: "which this change drops" };
}

/**
 * Every dependant — in the new definitions or registered — that uses something the change drops, renames or
 * narrows, and every unedited formula or rollup that no longer type-checks after a field it reads changed type.
 */
export function findBroken(
  stored: ReadonlyMap<string, EntityDefinition>,
  next: ReadonlyMap<string, EntityDefinition>,
  external: readonly Dependent[],
): Broken[] {
  const broken: Broken[] = [];
  const graph = metadataDependents([...next.values()]);
  for (const d of [...graph, ...external]) {
    const c = changeOf(stored, next, d.entity, d.field, isMetadata(d) ? d.values : undefined);
    if (c) broken.push({ dependent: d, change: c.change, message: `${d.label}, ${c.text}` });
  }
  const seen = new Set(broken.map((b) => dependentKey(b.dependent)));
  for (const d of graph) {
    const key = dependentKey(d);
    if (seen.has(key) || !isMetadata(d) || !("field" in d.owner)) continue;
    const issue = typeBreak(stored, next, d);
    if (issue) {
      seen.add(key);
      broken.push({ dependent: d, change: "change_type", message: `${d.kind} ${d.id} no longer works: ${issue}` });
    }
  }
  return broken;
}

const COMPUTED_KEYS = ["type", "expression", "resultType", "child", "via", "field", "function", "filter"] as const;

/** The type-check problem of an unedited formula or rollup whose used field changed type, if any. */
function typeBreak(
  stored: ReadonlyMap<string, EntityDefinition>,
  next: ReadonlyMap<string, EntityDefinition>,
  d: MetadataDependent,
): string | undefined {
  if (next.get(d.entity) === stored.get(d.entity)) return undefined;
  const owner = d.owner as { entity: string; field: string };
  const entity = next.get(owner.entity);
  const field = entity?.fields.find((f) => f.name === owner.field);
  const before = stored.get(owner.entity)?.fields.find((f) => f.id !== undefined && f.id === field?.id);
  if (!entity || !field || !before || COMPUTED_KEYS.some((k) => !sameJson(before[k], field[k]))) return undefined;
  const usedBefore = stored.get(d.entity)?.fields.find((f) => f.name === d.field);
  const usedAfter = next.get(d.entity)?.fields.find((f) => f.name === d.field);
  if (!usedBefore || !usedAfter || sameType(usedBefore, usedAfter)) return undefined;
  const issues = computedFieldIssues(field, entity, (name) => next.get(name));
  return issues.length ? issues.map((i) => i.message).join("; ") : undefined;
}

function sameType(a: FieldDefinition, b: FieldDefinition): boolean {
  return a.type === b.type && a.target === b.target && a.function === b.function;
}
