import { pointer } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { sameJson } from "./definition-equality";
import type { Dependent, DependentKind } from "./dependents";
import { type Broken, changeOf, findBroken, type ImpactChange, isMetadata } from "./impact-breaks";
import { type DependentOwner, dependentKey, type MetadataDependent, metadataDependents } from "./impact-graph";
import { followRenames } from "./impact-renames";

/**
 * How the change leaves a dependant: `fixed` by the same batch, `updated` to follow a rename, `broken` on
 * purpose (named in `breaks`; a metadata dependant is then removed in the same plan), `blocking` the change.
 */
export type ImpactResolution = "fixed" | "updated" | "broken" | "blocking";

/** One dependant a change touches, as the dry run and the refusal list it. */
export interface ImpactEntry {
  /** What to name in `breaks`: `formula:contract.total`. */
  key: string;
  kind: DependentKind;
  id: string;
  entity: string;
  field?: string;
  change: ImpactChange;
  /** `formula contract.total reads contract.amount, which this change drops`. */
  message: string;
  /** JSON pointer to the dependant: `/contract/fields/4`, `/contract/indexes/0`, or `/workflow/contract_approval@3`. */
  path: string;
  resolution: ImpactResolution;
}

export interface ImpactInput {
  stored: ReadonlyMap<string, EntityDefinition>;
  /** The new definitions, with field ids (`withFieldIds`). */
  batch: readonly EntityDefinition[];
  /** Entities the change deletes. */
  drop?: readonly string[];
  /** Dependants registered by other areas (workflows, forms, permissions, sync mappings...). */
  external: readonly Dependent[];
  /** Dependant keys the caller accepts to break. */
  breaks: ReadonlySet<string>;
  /** Also remove blocking metadata dependants, so that a dry run can plan the rest. */
  assumeBroken?: boolean;
}

export interface ImpactAnalysis {
  /** The batch as it is to be applied (uses follow renames, broken dependants removed), plus other entities so changed. */
  definitions: EntityDefinition[];
  impact: ImpactEntry[];
  blocking: ImpactEntry[];
}

/**
 * Which dependants a change breaks, and the batch that follows from it. Renamed fields are followed by the
 * formulas, rollups, keys and title fields that use them; a dependant named in `breaks` is removed (metadata)
 * or left to fail (registered areas); any other broken dependant blocks the change.
 */
export function analyseImpact(input: ImpactInput): ImpactAnalysis {
  const stored = input.stored;
  const next = new Map(stored);
  for (const d of input.batch) next.set(d.name, d);
  for (const name of input.drop ?? []) next.delete(name);
  const touched = new Set<string>();
  const renamed = followAllRenames(stored, next, touched);
  const found = new Map<string, Broken>();
  const removed = new Set<string>();
  for (let round = 0; round < 20; round++) {
    const broken = findBroken(stored, next, input.external);
    // An entity going away breaks a dependant once, however many of its fields it used.
    for (const b of broken) found.set(b.change === "drop_entity" ? dependentKey(b.dependent) : edgeKey(b.dependent), b);
    const remove = broken.filter(
      (b) =>
        isMetadata(b.dependent) &&
        next.has(b.dependent.owner.entity) &&
        !input.drop?.includes(b.dependent.entity) &&
        (input.breaks.has(dependentKey(b.dependent)) || input.assumeBroken) &&
        !removed.has(dependentKey(b.dependent)),
    );
    if (!remove.length) break;
    for (const b of remove) {
      const { owner } = b.dependent as MetadataDependent;
      next.set(owner.entity, withoutOwner(next.get(owner.entity)!, owner));
      touched.add(owner.entity);
      removed.add(dependentKey(b.dependent));
    }
  }
  const impact = [
    ...[...found.values()].map((b) =>
      entry(b, input.breaks.has(dependentKey(b.dependent)) ? "broken" : "blocking", stored, next),
    ),
    ...unbroken(stored, next, input, found, renamed),
  ];
  const names = input.batch.map((d) => d.name);
  const definitions = [
    ...names.filter((n) => next.has(n)).map((n) => next.get(n)!),
    ...[...touched].filter((n) => !names.includes(n) && next.has(n)).map((n) => next.get(n)!),
  ];
  return { definitions, impact, blocking: impact.filter((e) => e.resolution === "blocking") };
}

function edgeKey(d: Dependent): string {
  return `${dependentKey(d)}>${d.entity}.${d.field ?? ""}`;
}

/** Rewrites every stored entity's uses of renamed fields; returns the entities whose uses moved. */
function followAllRenames(
  stored: ReadonlyMap<string, EntityDefinition>,
  next: Map<string, EntityDefinition>,
  touched: Set<string>,
): Set<string> {
  const renames = new Map<string, Map<string, string>>();
  for (const [name, before] of stored) {
    const after = next.get(name);
    if (!after || after === before) continue;
    for (const f of before.fields) {
      const to = after.fields.find((g) => g.id !== undefined && g.id === f.id)?.name;
      if (to !== undefined && to !== f.name) renames.set(name, (renames.get(name) ?? new Map()).set(f.name, to));
    }
  }
  const renameOf = (entity: string, name: string) => {
    const to = renames.get(entity)?.get(name);
    return to !== undefined && !next.get(entity)?.fields.some((f) => f.name === name) ? to : undefined;
  };
  const moved = new Set<string>();
  if (!renames.size) return moved;
  for (const [name, def] of next) {
    if (!stored.has(name)) continue;
    const followed = followRenames(def, stored.get(name), renameOf);
    if (sameJson(followed, def)) continue;
    next.set(name, followed);
    touched.add(name);
    moved.add(name);
  }
  return moved;
}

function withoutOwner(entity: EntityDefinition, owner: DependentOwner): EntityDefinition {
  if ("field" in owner) return { ...entity, fields: entity.fields.filter((f) => f.name !== owner.field) };
  if ("index" in owner) {
    const indexes = (entity.indexes ?? []).filter((ix) => !sameJson(ix.fields, owner.index));
    const { indexes: _, ...rest } = entity;
    return indexes.length ? { ...rest, indexes } : rest;
  }
  const { titleField: _, ...rest } = entity;
  return rest;
}

function pathOf(
  d: Dependent,
  stored: ReadonlyMap<string, EntityDefinition>,
  next: ReadonlyMap<string, EntityDefinition>,
): string {
  if (!isMetadata(d)) return pointer(d.kind, d.id);
  const { owner } = d;
  const entity = next.get(owner.entity) ?? stored.get(owner.entity);
  const prefix = pointer(owner.entity);
  if ("titleField" in owner) return `${prefix}/titleField`;
  if ("index" in owner) {
    const all = entity?.indexes ?? stored.get(owner.entity)?.indexes ?? [];
    return (
      prefix +
      pointer(
        "indexes",
        Math.max(
          0,
          all.findIndex((ix) => sameJson(ix.fields, owner.index)),
        ),
      )
    );
  }
  const at = entity?.fields.findIndex((f) => f.name === owner.field) ?? -1;
  const index = at >= 0 ? at : (stored.get(owner.entity)?.fields.findIndex((f) => f.name === owner.field) ?? 0);
  return prefix + pointer("fields", index, ...(d.at !== undefined ? [d.at] : []));
}

function entry(
  b: Broken,
  resolution: ImpactResolution,
  stored: ReadonlyMap<string, EntityDefinition>,
  next: ReadonlyMap<string, EntityDefinition>,
): ImpactEntry {
  const d = b.dependent;
  return {
    key: dependentKey(d),
    kind: d.kind,
    id: d.id,
    entity: d.entity,
    ...(d.field !== undefined ? { field: d.field } : {}),
    change: b.change,
    message: b.message,
    path: pathOf(d, stored, next),
    resolution,
  };
}

/** The stored dependants the change touches but does not break: fixed by the batch, or following a rename. */
function unbroken(
  stored: ReadonlyMap<string, EntityDefinition>,
  next: ReadonlyMap<string, EntityDefinition>,
  input: ImpactInput,
  found: ReadonlyMap<string, Broken>,
  renamed: ReadonlySet<string>,
): ImpactEntry[] {
  const brokenKeys = new Set([...found.values()].map((b) => dependentKey(b.dependent)));
  const entries = new Map<string, ImpactEntry>();
  for (const d of metadataDependents([...stored.values()])) {
    if (brokenKeys.has(dependentKey(d)) || input.drop?.includes(d.owner.entity)) continue;
    const c = changeOf(stored, next, d.entity, d.field, d.values);
    if (!c || entries.has(edgeKey(d))) continue;
    const resolution = c.change === "rename_field" && renamed.has(d.owner.entity) ? "updated" : "fixed";
    entries.set(
      edgeKey(d),
      entry({ dependent: d, change: c.change, message: `${d.label}, ${c.text}` }, resolution, stored, next),
    );
  }
  return [...entries.values()];
}
