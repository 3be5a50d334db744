import type { EntityDefinition } from "@kehu/schema";
import { SEARCHABLE_TYPES } from "../storage/columns";

type Json = Record<string, unknown>;

/** Entity keys in the order files show them; keys not listed follow in alphabetical order. */
export const ENTITY_KEY_ORDER = [
  "name",
  "label",
  "description",
  "titleField",
  "ownership",
  "audit",
  "fields",
  "indexes",
];

/** Field keys in the order files show them: identity first, then the options. */
export const FIELD_KEY_ORDER = [
  "id",
  "name",
  "type",
  "label",
  "help",
  "required",
  "unique",
  "indexed",
  "searchable",
  "default",
  "min",
  "max",
  "pattern",
  "precision",
  "scale",
  "values",
  "currencies",
  "target",
  "onDelete",
  "renamedFrom",
];

const LABEL_KEY_ORDER = ["en", "zh"];
const FALSE_BY_DEFAULT = new Set(["required", "unique", "indexed"]);

function ordered(input: Json, order: readonly string[], lean: (key: string, value: unknown) => unknown): Json {
  const keys = [
    ...order.filter((k) => k in input),
    ...Object.keys(input)
      .filter((k) => !order.includes(k))
      .sort(),
  ];
  const out: Json = {};
  for (const key of keys) {
    const value = lean(key, input[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && value !== null && Object.keys(value).length === 0;
}

function label(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const out = ordered(value as Json, LABEL_KEY_ORDER, (_, v) => v);
  return isEmpty(out) ? undefined : out;
}

function enumValue(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const { value: name, label: text, ...rest } = value as Json;
  const lean = label(text);
  if (lean === undefined && Object.keys(rest).length === 0) return name;
  return ordered({ value: name, label: lean, ...rest }, ["value", "label"], (_, v) => v);
}

function field(input: Json): Json {
  return ordered(input, FIELD_KEY_ORDER, (key, value) => {
    if (value === undefined) return undefined;
    if (key === "default") return value; // an empty list or object is a real default
    if (isEmpty(value)) return undefined;
    if (FALSE_BY_DEFAULT.has(key) && value === false) return undefined;
    if (key === "searchable" && value === SEARCHABLE_TYPES.has(input.type as never)) return undefined;
    if (key === "renamedFrom" && input.id !== undefined) return undefined; // the id already says which field it was
    if (key === "label" || key === "help") return label(value);
    if (key === "values" && Array.isArray(value)) return value.map(enumValue);
    return value;
  });
}

function index(input: Json): Json {
  return ordered(input, ["fields", "unique"], (key, value) =>
    key === "unique" && value === false ? undefined : value,
  );
}

/**
 * An entity definition as files keep it: keys in a fixed order and lean (no empty values, no options
 * that only repeat their default), so exporting, applying and exporting again gives identical bytes.
 *
 * @example
 * canonicalEntity({fields: [{type: "text", name: "name", required: false}], name: "customer"})
 * // {name: "customer", fields: [{name: "name", type: "text"}]}
 */
export function canonicalEntity(definition: EntityDefinition): EntityDefinition {
  return ordered(definition as Json, ENTITY_KEY_ORDER, (key, value) => {
    if (value === undefined || isEmpty(value)) return undefined;
    if (key === "label" || key === "description") return label(value);
    if (key === "fields" && Array.isArray(value)) return value.map((f) => field(f as Json));
    if (key === "indexes" && Array.isArray(value)) return value.map((ix) => index(ix as Json));
    return value;
  }) as EntityDefinition;
}
