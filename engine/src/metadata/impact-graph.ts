import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import type { Dependent } from "./dependents";
import { formulaReads } from "./impact-formula-refs";

/** Where a metadata dependant lives, so that breaking it on purpose can remove it from its entity. */
export type DependentOwner =
  | { entity: string; field: string }
  | { entity: string; index: string[] }
  | { entity: string; titleField: true };

/** A dependant found in the entity definitions themselves: formulas, rollups, references, keys, title fields. */
export interface MetadataDependent extends Dependent {
  owner: DependentOwner;
  /** Enum values a rollup's filter compares the field with. */
  values?: string[];
  /** The option of the owner field that makes the use: `expression`, `via`, `field`, `filter`, `target`. */
  at?: string;
}

/** The key a consultant names in `breaks`: `formula:contract.total`, `workflow:contract_approval@3`. */
export function dependentKey(d: Pick<Dependent, "kind" | "id">): string {
  return `${d.kind}:${d.id}`;
}

/**
 * Every use of an entity or field by another piece of metadata, one entry per use: a formula per field it
 * reads (through a reference too: `customer.tier` uses `contract.customer` and `customer.tier`), a rollup per
 * child field it folds, goes through or filters on (and the child entity), a reference per target entity,
 * each field of a composite unique key or index, and the title field.
 *
 * @example
 * metadataDependents([contract]) // [{kind: "formula", id: "contract.total", entity: "contract", field: "amount", ...}, ...]
 */
export function metadataDependents(definitions: readonly EntityDefinition[]): MetadataDependent[] {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  return definitions.flatMap((entity) => [
    ...entity.fields.flatMap((field) => fieldDependents(entity, field, byName)),
    ...indexDependents(entity),
    ...(entity.titleField !== undefined
      ? [
          {
            kind: "title" as const,
            id: entity.name,
            label: `the title field of ${entity.name} is ${entity.name}.${entity.titleField}`,
            entity: entity.name,
            field: entity.titleField,
            owner: { entity: entity.name, titleField: true as const },
          },
        ]
      : []),
  ]);
}

function fieldDependents(
  entity: EntityDefinition,
  field: FieldDefinition,
  byName: ReadonlyMap<string, EntityDefinition>,
): MetadataDependent[] {
  const id = `${entity.name}.${field.name}`;
  const owner = { entity: entity.name, field: field.name };
  if (field.type === "formula" && field.expression !== undefined) {
    return formulaReads(field.expression).flatMap((read): MetadataDependent[] => {
      const base = { kind: "formula" as const, id, owner, at: "expression" };
      if (read.via === undefined)
        return [
          { ...base, label: `formula ${id} reads ${entity.name}.${read.name}`, entity: entity.name, field: read.name },
        ];
      const via = entity.fields.find((f) => f.name === read.via);
      const target = via?.type === "reference" ? via.target : undefined;
      const through = {
        ...base,
        label: `formula ${id} reads ${read.via}.${read.name} through ${entity.name}.${read.via}`,
      };
      return [
        { ...through, entity: entity.name, field: read.via },
        ...(target && byName.has(target)
          ? [{ ...base, label: `formula ${id} reads ${target}.${read.name}`, entity: target, field: read.name }]
          : []),
      ];
    });
  }
  if (field.type === "rollup" && field.child !== undefined) {
    const child = field.child;
    const base = { kind: "rollup" as const, id, owner, entity: child };
    const what = `rollup ${id} (${field.function ?? "count"} of ${child})`;
    return [
      { ...base, label: `${what} folds ${child} rows` },
      ...(field.via !== undefined
        ? [{ ...base, label: `${what} links through ${child}.${field.via}`, field: field.via, at: "via" }]
        : []),
      ...(field.field !== undefined
        ? [{ ...base, label: `${what} folds ${child}.${field.field}`, field: field.field, at: "field" }]
        : []),
      ...filterUses(field.filter).map((use) => ({
        ...base,
        label: `${what} filters on ${child}.${use.field}`,
        field: use.field,
        at: "filter",
        ...(use.values.length ? { values: use.values } : {}),
      })),
    ];
  }
  if (field.type === "reference" && field.target !== undefined && field.target !== entity.name)
    return [
      {
        kind: "reference",
        id,
        label: `reference ${id} points to ${field.target}`,
        entity: field.target,
        owner,
        at: "target",
      },
    ];
  return [];
}

function indexDependents(entity: EntityDefinition): MetadataDependent[] {
  return (entity.indexes ?? []).flatMap((index) => {
    const kind = index.unique ? ("unique" as const) : ("index" as const);
    const id = `${entity.name}(${index.fields.join(",")})`;
    const what = `${index.unique ? "unique key" : "index"} (${index.fields.join(", ")}) of ${entity.name}`;
    return index.fields.map((f) => ({
      kind,
      id,
      label: `${what} uses ${entity.name}.${f}`,
      entity: entity.name,
      field: f,
      owner: { entity: entity.name, index: index.fields },
    }));
  });
}

/** The keys of a filter AST that combine conditions; every other key names a field. */
export const LOGICAL = new Set(["and", "or", "not"]);

/** The fields a filter AST names, each with the string values it compares them with. */
export function filterUses(filter: unknown): Array<{ field: string; values: string[] }> {
  const uses = new Map<string, Set<string>>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (LOGICAL.has(key)) visit(value);
      else {
        const values = uses.get(key) ?? new Set<string>();
        uses.set(key, values);
        for (const operand of value && typeof value === "object" ? Object.values(value) : [])
          for (const v of Array.isArray(operand) ? operand : [operand]) if (typeof v === "string") values.add(v);
      }
    }
  };
  visit(filter);
  return [...uses].map(([field, values]) => ({ field, values: [...values] }));
}
