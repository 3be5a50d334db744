import { type MergeLog, same } from "./merge-conflict";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const SLUG = /^[a-z0-9_]+$/;

/**
 * What identifies an item of a list across versions, as a conflict key segment: a form field by its `field`, a
 * section by its English title (`Parties` → `parties`), anything else by its `name`, a plain value by itself.
 * Undefined when the item has no such identity (then the list is merged as one value).
 */
function itemKey(item: unknown): string | undefined {
  if (typeof item === "string") return SLUG.test(item) ? item : undefined;
  if (!isObject(item)) return undefined;
  if (typeof item.field === "string") return item.field;
  const title = isObject(item.title) ? item.title.en : item.title;
  if (typeof title === "string") {
    const slug = title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_|_$/g, "");
    if (slug) return slug;
  }
  return typeof item.name === "string" && SLUG.test(item.name) ? item.name : undefined;
}

function keyedList(items: unknown): Map<string, unknown> | undefined {
  if (!Array.isArray(items)) return undefined;
  const out = new Map<string, unknown>();
  for (const item of items) {
    const k = itemKey(item);
    if (k === undefined || out.has(k)) return undefined;
    out.set(k, item);
  }
  return out;
}

/**
 * Three-way merge of a JSON document (a form, a role): `installed` is what the template had when last applied,
 * `template` the new files, `local` what is stored now. A part only one side changed takes that side's value;
 * objects are merged key by key and lists of identifiable items (form sections, form fields) item by item, so
 * a field moved or relabelled locally survives a template change elsewhere. A part both sides changed
 * differently is a conflict keyed `<key>.<path>`; undecided, the template's value is kept in the result.
 */
export function mergeDocument(
  log: MergeLog,
  key: string,
  installed: unknown,
  template: unknown,
  local: unknown,
): unknown {
  if (same(template, installed)) {
    if (!same(local, installed)) log.keptLocal.push(key);
    return local;
  }
  if (same(local, installed) || same(template, local)) return template;
  if (isObject(template) && isObject(local) && (installed === undefined || isObject(installed)))
    return mergeObject(log, key, installed ?? {}, template, local);
  const lists = [installed ?? [], template, local].map(keyedList);
  if (lists.every((l) => l !== undefined))
    return mergeList(log, key, ...(lists as [Map<string, unknown>, Map<string, unknown>, Map<string, unknown>]));
  return log.value(key, installed, template, local);
}

function mergeObject(log: MergeLog, key: string, installed: Json, template: Json, local: Json): Json {
  const out: Json = {};
  const keys = new Set([...Object.keys(local), ...Object.keys(template), ...Object.keys(installed)]);
  for (const k of keys) {
    const value = mergeDocument(log, `${key}.${k}`, installed[k], template[k], local[k]);
    if (value !== undefined) out[k] = value;
  }
  return out;
}

/** Item by item: the local order is kept; the template's new items follow their predecessor in the template. */
function mergeList(
  log: MergeLog,
  key: string,
  installed: Map<string, unknown>,
  template: Map<string, unknown>,
  local: Map<string, unknown>,
): unknown[] {
  const out: Array<[string, unknown]> = [];
  for (const [k, item] of local) {
    const itemKey = `${key}.${k}`;
    const was = installed.get(k);
    if (template.has(k)) out.push([k, mergeDocument(log, itemKey, was, template.get(k), item)]);
    else if (!installed.has(k)) {
      log.keptLocal.push(itemKey);
      out.push([k, item]);
    } else if (!same(item, was)) {
      const reason = "the template removes this; it was changed locally";
      if (log.conflict({ key: itemKey, reason, installed: was, local: item }) === "local") out.push([k, item]);
    }
  }
  const order = [...template.keys()];
  order.forEach((k, i) => {
    if (local.has(k)) return;
    const item = template.get(k);
    if (installed.has(k)) {
      if (same(item, installed.get(k))) return;
      const reason = "removed locally; the template changes it";
      if (log.conflict({ key: `${key}.${k}`, reason, installed: installed.get(k), template: item }) !== "template")
        return;
    }
    const after = order
      .slice(0, i)
      .reverse()
      .map((p) => out.findIndex(([x]) => x === p))
      .find((at) => at >= 0);
    out.splice(after === undefined ? 0 : after + 1, 0, [k, item]);
  });
  return out.map(([, item]) => item);
}
