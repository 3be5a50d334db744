import type { FieldDefinition } from "@kehu/schema";
import { enumValueNames } from "@kehu/schema";
import { sameJson } from "./definition-equality";
import { type MigrationStep, step } from "./migration-plan";
import type { PlanContext } from "./plan-context";

const ENTITY_KEYS = ["label", "description", "titleField", "ownership", "audit"] as const;
// Field options other steps already account for, or that only steer matching.
const PHYSICAL_KEYS = new Set<string>([
  "id",
  "name",
  "type",
  "target",
  "required",
  "unique",
  "indexed",
  "searchable",
  "min",
  "max",
  "scale",
  "precision",
  "currencies",
  "pattern",
  "renamedFrom",
]);

/** One step naming the changes that touch no table: labels, help, defaults, field order, entity options. */
export function metadataStep(ctx: PlanContext): MigrationStep[] {
  const changes = [
    ...ENTITY_KEYS.filter((k) => !sameJson(ctx.old[k], ctx.next[k])),
    ...(fieldOrderChanged(ctx) ? ["field order"] : []),
    ...ctx.matching.kept.flatMap(({ old, next }) => fieldChanges(old, next).map((k) => `${k} of ${next.name}`)),
  ];
  if (!changes.length) return [];
  return [step("change_metadata", `Update ${changes.join(", ")}; the table is unchanged`)];
}

function fieldChanges(old: FieldDefinition, next: FieldDefinition): string[] {
  const keys = new Set([...Object.keys(old), ...Object.keys(next)]);
  const changed = [...keys].filter(
    (k) => !PHYSICAL_KEYS.has(k) && !sameJson(old[k as keyof FieldDefinition], next[k as keyof FieldDefinition]),
  );
  const labelsOnly = changed.includes("values") && sameJson(enumValueNames(old), enumValueNames(next));
  return changed.filter((k) => k !== "values" || labelsOnly).map((k) => (k === "values" ? "value labels" : k));
}

function fieldOrderChanged(ctx: PlanContext): boolean {
  const oldOrder = ctx.matching.kept.map((p) => ctx.old.fields.indexOf(p.old));
  const nextOrder = ctx.matching.kept.map((p) => ctx.next.fields.indexOf(p.next));
  const rank = (xs: number[]) => xs.map((x) => xs.filter((y) => y < x).length).join(",");
  return rank(oldOrder) !== rank(nextOrder);
}
