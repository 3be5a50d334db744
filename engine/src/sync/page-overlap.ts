import type { MappingRun } from "./mapping-run";
import type { PreparedRecord } from "./pull-prepare";

/**
 * What a page's transaction may read or write of another page's: its external keys and, when the mapping matches
 * unlinked records by an entity field, the values of that field. A page whose keys are disjoint from the page still
 * committing decides the same on the data before that page as after it, so its transaction may start at once.
 */
export function pageKeysOf(run: MappingRun, prepared: readonly PreparedRecord[]): Set<string> {
  const keys = new Set<string>();
  const field = run.mapping.key.entity;
  for (const p of prepared) {
    if (p.key !== undefined) keys.add(`k:${p.key}`);
    if (field && p.result.kind === "mapped" && p.result.body[field] != null)
      keys.add(`e:${String(p.result.body[field])}`);
  }
  return keys;
}

export function disjoint(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const k of small) if (large.has(k)) return false;
  return true;
}
