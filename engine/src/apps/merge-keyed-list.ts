import { type MergeLog, same } from "./merge-conflict";

/** An enum value's key: the value itself (`gold`, or `{value: gold, label: …}`). */
export const enumKey = (item: unknown): string =>
  typeof item === "object" && item !== null ? String((item as { value?: unknown }).value) : String(item);

/** An index's key: its fields (`tier+code`). */
export const indexKey = (item: unknown): string => ((item as { fields?: unknown[] })?.fields ?? []).join("+");

/**
 * Three-way merge of a list item by item (an enum's values, an entity's indexes), items matched by `keyOf`:
 * the local order is kept and the template's new items follow their predecessor in the template. Removing an
 * item the other side changed is a conflict (`<key>.<item key>`).
 */
export function mergeKeyedList(
  log: MergeLog,
  key: string,
  installed: readonly unknown[],
  template: readonly unknown[],
  local: readonly unknown[],
  keyOf: (item: unknown) => string,
  noun: string,
): unknown[] {
  const byValue = (items: readonly unknown[]) => new Map(items.map((i) => [keyOf(i), i]));
  const b = byValue(installed);
  const t = byValue(template);
  const o = byValue(local);
  const out: unknown[] = [];
  for (const item of local) {
    const v = keyOf(item);
    const itemKey = `${key}.${v}`;
    if (t.has(v)) out.push(log.value(itemKey, b.get(v), t.get(v), item));
    else if (!b.has(v)) {
      log.keptLocal.push(itemKey);
      out.push(item);
    } else if (!same(item, b.get(v))) {
      const reason = `the template removes this ${noun}; it was changed locally`;
      if (log.conflict({ key: itemKey, reason, installed: b.get(v), local: item }) === "local") out.push(item);
    }
  }
  template.forEach((item, i) => {
    const v = keyOf(item);
    if (o.has(v)) return;
    if (b.has(v)) {
      if (same(item, b.get(v))) return;
      const reason = "removed locally; the template changes it";
      if (log.conflict({ key: `${key}.${v}`, reason, installed: b.get(v), template: item }) !== "template") return;
    }
    insertAfter(out, template.slice(0, i).map(keyOf), item, keyOf);
  });
  return out;
}

/** Inserts `item` after the last of `before` (values, in template order) that `out` holds, else first. */
function insertAfter(out: unknown[], before: string[], item: unknown, keyOf: (item: unknown) => string) {
  for (let j = before.length - 1; j >= 0; j--) {
    const at = out.findIndex((x) => keyOf(x) === before[j]);
    if (at >= 0) {
      out.splice(at + 1, 0, item);
      return;
    }
  }
  out.unshift(item);
}
