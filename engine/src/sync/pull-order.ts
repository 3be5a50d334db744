import type { SyncMapping } from "@kehu/schema";
import { fieldSourceOf } from "./field-source";

/**
 * The mappings in the order a run pulls them: a mapping whose lookups point at an entity comes after the mappings
 * that pull that entity (orders after customers, stock after items), so a first run finds every reference it
 * needs. Otherwise the given order is kept; a cycle is broken at its first mapping.
 */
export function pullOrder(mappings: readonly SyncMapping[]): SyncMapping[] {
  const pulls = (m: SyncMapping) => m.direction !== "push";
  const needs = (m: SyncMapping) =>
    new Set(
      Object.values(m.fields).flatMap((raw) => {
        const source = fieldSourceOf(raw);
        return source.kind === "lookup" && source.entity !== m.entity ? [source.entity] : [];
      }),
    );
  const pending = mappings.filter(pulls);
  const ordered: SyncMapping[] = [];
  while (pending.length) {
    const ready = pending.findIndex((m) => {
      const wanted = needs(m);
      return !pending.some((other) => other !== m && wanted.has(other.entity));
    });
    ordered.push(...pending.splice(ready === -1 ? 0 : ready, 1));
  }
  return ordered;
}
