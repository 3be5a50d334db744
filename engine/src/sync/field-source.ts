import type { SyncFieldSource } from "@kehu/schema";

/** A mapping's field source, tagged by kind. */
export type FieldSource =
  | { kind: "field"; path: string }
  | { kind: "const"; value: unknown }
  | { kind: "expr"; expr: string }
  | { kind: "valueMap"; field: string; map: Record<string, unknown>; default?: unknown; hasDefault: boolean }
  | { kind: "lookup"; entity: string; by: string; from: string }
  | { kind: "money"; amount: string; currency?: string; defaultCurrency?: string }
  | { kind: "unit"; from: string; factor: string };

export function fieldSourceOf(source: SyncFieldSource): FieldSource {
  if (typeof source === "string") return { kind: "field", path: source };
  if ("const" in source) return { kind: "const", value: source.const };
  if ("expr" in source) return { kind: "expr", expr: source.expr };
  if ("valueMap" in source) {
    const v = source.valueMap;
    return { kind: "valueMap", field: v.field, map: v.map, default: v.default, hasDefault: "default" in v };
  }
  if ("lookup" in source) return { kind: "lookup", ...source.lookup };
  if ("money" in source) return { kind: "money", ...source.money };
  return { kind: "unit", from: source.unit.from, factor: String(source.unit.factor) };
}

/** The stream fields a source reads (dotted paths), for validation against the stream schema. */
export function sourcePaths(source: FieldSource): string[] {
  switch (source.kind) {
    case "field":
      return [source.path];
    case "valueMap":
      return [source.field];
    case "lookup":
      return [source.from];
    case "money":
      return source.currency ? [source.amount, source.currency] : [source.amount];
    case "unit":
      return [source.from];
    default:
      return [];
  }
}

/** Reads a dotted path (`Address.City`) of a stream record. */
export function readPath(record: Record<string, unknown>, path: string): unknown {
  if (path in record) return record[path];
  return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | null)?.[key], record);
}

/** Writes a dotted path of an outgoing record, creating the objects on the way. */
export function writePath(record: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = record;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}
