import { pointer } from "@kehu/core";
import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import {
  compositeIndexName,
  compositeIndexSql,
  dropIndexSql,
  fieldIndexKind,
  fieldIndexName,
  fieldIndexSql,
  renameIndexSql,
} from "../storage/entity-ddl";
import { type DataCheck, type MigrationStep, step } from "./migration-plan";
import type { PlanContext } from "./plan-context";

interface IndexSpec {
  /** Same for an old index and the new one it stays: its kind and the stable keys of its fields. */
  key: string;
  name: string;
  unique: boolean;
  fields: FieldDefinition[];
  create: string;
  /** Set for a single-field index or unique key. */
  field?: FieldDefinition;
  path: string;
}

/** Index changes, in three parts: drops (run first), renames (run with the column renames), adds (run last). */
export interface IndexChanges {
  drops: MigrationStep[];
  renames: Map<FieldDefinition, string[]>;
  adds: MigrationStep[];
}

export function indexChanges(ctx: PlanContext): IndexChanges {
  const before = indexSpecs(ctx.old, ctx.keyOf);
  const after = indexSpecs(ctx.next, ctx.keyOf);
  const afterKeys = new Set(after.map((s) => s.key));
  const oldNames = new Set(before.map((s) => s.name));
  const dropped = new Set(ctx.matching.dropped);
  const changes: IndexChanges = { drops: [], renames: new Map(), adds: [] };
  for (const spec of before) {
    // Dropping a column drops its indexes with it.
    if (!afterKeys.has(spec.key) && !spec.fields.some((f) => dropped.has(f))) changes.drops.push(dropStep(spec));
  }
  for (const spec of after) {
    const was = before.find((s) => s.key === spec.key);
    if (!was) changes.adds.push(addStep(ctx, spec, true));
    else if (was.name !== spec.name && oldNames.has(spec.name)) {
      changes.drops.push(dropStep(was));
      changes.adds.push(addStep(ctx, spec, false));
    } else if (was.name !== spec.name) {
      const renamedField = spec.fields.find((f) =>
        ctx.matching.kept.some((p) => p.next === f && p.old.name !== f.name),
      );
      if (renamedField)
        changes.renames.set(renamedField, [
          ...(changes.renames.get(renamedField) ?? []),
          renameIndexSql(was.name, spec.name),
        ]);
    }
  }
  return changes;
}

function indexSpecs(def: EntityDefinition, keyOf: (f: FieldDefinition) => string): IndexSpec[] {
  const byName = new Map(def.fields.map((f) => [f.name, f]));
  const single = def.fields.flatMap((field, i): IndexSpec[] => {
    const kind = fieldIndexKind(field);
    if (!kind) return [];
    const unique = kind === "unique";
    return [
      {
        key: `field:${kind}:${keyOf(field)}`,
        name: fieldIndexName(def.name, field.name, unique),
        unique,
        fields: [field],
        create: fieldIndexSql(def.name, field)[0],
        field,
        path: pointer("fields", i, unique ? "unique" : "indexed"),
      },
    ];
  });
  const composite = (def.indexes ?? []).map((ix, i): IndexSpec => {
    const fields = ix.fields.map((n) => byName.get(n)!);
    const unique = ix.unique ?? false;
    return {
      key: `composite:${unique}:${fields.map(keyOf).join(",")}`,
      name: compositeIndexName(def.name, ix.fields, unique),
      unique,
      fields,
      create: compositeIndexSql(def.name, ix.fields, unique),
      path: pointer("indexes", i),
    };
  });
  return [...single, ...composite];
}

function describe(spec: IndexSpec): string {
  return spec.field ? spec.field.name : `(${spec.fields.map((f) => f.name).join(", ")})`;
}

function dropStep(spec: IndexSpec): MigrationStep {
  const kind = spec.unique ? "drop_unique" : "drop_index";
  const what = spec.unique ? "unique key" : "index";
  return step(kind, `Drop the ${what} on ${describe(spec)}`, [dropIndexSql(spec.name)], fieldOf(spec));
}

function addStep(ctx: PlanContext, spec: IndexSpec, checkDuplicates: boolean): MigrationStep {
  const kind = spec.unique ? "add_unique" : "add_index";
  const what = spec.unique ? "unique key" : "index";
  const checks: DataCheck[] =
    spec.unique && checkDuplicates
      ? [
          {
            kind: "duplicates",
            phase: "rule",
            path: spec.path,
            rule: `no two live rows share a ${spec.fields.map((f) => f.name).join(" + ")}`,
            values: spec.fields.map((f) => ctx.valueOf(f).value),
          },
        ]
      : [];
  return step(kind, `Add a ${what} on ${describe(spec)}`, [spec.create], { ...fieldOf(spec), checks });
}

function fieldOf(spec: IndexSpec): { field?: string } {
  return spec.field ? { field: spec.field.name } : {};
}
