import type { FieldDefinition } from "@kehu/schema";

/** An old field and the new field it becomes. */
export interface FieldPair {
  old: FieldDefinition;
  next: FieldDefinition;
}

/** How a new definition's fields relate to the stored ones. */
export interface FieldMatching {
  kept: FieldPair[];
  added: FieldDefinition[];
  dropped: FieldDefinition[];
  /** The old field each new field continues, by position in the new list. */
  oldOf: Array<FieldDefinition | undefined>;
}

/**
 * Pairs new fields with old ones: by `id`, then by `renamedFrom` (an old name), then by name. Each old field
 * pairs at most once, so a renamed field is never seen as one dropped and one added.
 *
 * Files keep `renamedFrom` after the rename is applied, so it is followed only while the field's own name is
 * free in the old definition (or freed by another rename being followed); otherwise the rename already
 * happened and the name matches. A swap of two names therefore needs ids.
 */
export function matchFields(
  oldFields: readonly FieldDefinition[],
  nextFields: readonly FieldDefinition[],
): FieldMatching {
  const free = new Set(oldFields);
  const oldOf: Array<FieldDefinition | undefined> = nextFields.map(() => undefined);
  const pair = (i: number, old: FieldDefinition | undefined) => {
    if (!old || !free.has(old) || oldOf[i]) return;
    oldOf[i] = old;
    free.delete(old);
  };
  const byId = new Map(oldFields.filter((f) => f.id !== undefined).map((f) => [f.id, f]));
  for (const [i, next] of nextFields.entries()) if (next.id !== undefined) pair(i, byId.get(next.id));
  const freeByName = () => new Map([...free].map((f) => [f.name, f]));
  const names = freeByName();
  for (const i of liveRenames(nextFields, oldOf, names)) pair(i, names.get(nextFields[i].renamedFrom!));
  const remaining = freeByName();
  for (const [i, next] of nextFields.entries()) pair(i, remaining.get(next.name));

  const kept: FieldPair[] = [];
  const added: FieldDefinition[] = [];
  nextFields.forEach((next, i) => {
    const old = oldOf[i];
    if (old) kept.push({ old, next });
    else added.push(next);
  });
  return { kept, added, dropped: oldFields.filter((f) => free.has(f)), oldOf };
}

/** Positions of new fields whose `renamedFrom` is still to be applied (see `matchFields`). */
function liveRenames(
  nextFields: readonly FieldDefinition[],
  oldOf: ReadonlyArray<FieldDefinition | undefined>,
  freeByName: ReadonlyMap<string, FieldDefinition>,
): number[] {
  const candidates = nextFields.flatMap((f, i) =>
    !oldOf[i] && f.renamedFrom && f.renamedFrom !== f.name && freeByName.has(f.renamedFrom) ? [i] : [],
  );
  const live: number[] = [];
  const freed = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const i of candidates) {
      const { name, renamedFrom } = nextFields[i];
      if (live.includes(i) || (freeByName.has(name) && !freed.has(name))) continue;
      live.push(i);
      freed.add(renamedFrom!);
      grew = true;
    }
  }
  return live;
}
