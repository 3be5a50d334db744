import { type MergeLog, same } from "./merge-conflict";

const enumKey = (item: unknown): string =>
  typeof item === "object" && item !== null ? String((item as { value?: unknown }).value) : String(item);

/**
 * Three-way merge of an enum's values, item by item (keyed by value): the local order is kept and the
 * template's new values follow their predecessor in the template. Removing a value the other side changed
 * is a conflict (`<key>.<value>`).
 */
export function mergeEnumValues(
  log: MergeLog,
  key: string,
  installed: readonly unknown[],
  template: readonly unknown[],
  local: readonly unknown[],
): unknown[] {
  const byValue = (items: readonly unknown[]) => new Map(items.map((i) => [enumKey(i), i]));
  const b = byValue(installed);
  const t = byValue(template);
  const o = byValue(local);
  const out: unknown[] = [];
  for (const item of local) {
    const v = enumKey(item);
    const itemKey = `${key}.${v}`;
    if (t.has(v)) out.push(log.value(itemKey, b.get(v), t.get(v), item));
    else if (!b.has(v)) {
      log.keptLocal.push(itemKey);
      out.push(item);
    } else if (!same(item, b.get(v))) {
      const reason = "the template removes this value; it was changed locally";
      if (log.conflict({ key: itemKey, reason, installed: b.get(v), local: item }) === "local") out.push(item);
    }
  }
  template.forEach((item, i) => {
    const v = enumKey(item);
    if (o.has(v)) return;
    if (b.has(v)) {
      if (same(item, b.get(v))) return;
      const reason = "removed locally; the template changes it";
      if (log.conflict({ key: `${key}.${v}`, reason, installed: b.get(v), template: item }) !== "template") return;
    }
    insertAfter(out, template.slice(0, i).map(enumKey), item);
  });
  return out;
}

/** Inserts `item` after the last of `before` (values, in template order) that `out` holds, else first. */
function insertAfter(out: unknown[], before: string[], item: unknown) {
  for (let j = before.length - 1; j >= 0; j--) {
    const at = out.findIndex((x) => enumKey(x) === before[j]);
    if (at >= 0) {
      out.splice(at + 1, 0, item);
      return;
    }
  }
  out.unshift(item);
}
