import { AppError, type Issue, pointerSegment } from "@kehu/core";
import { type EntityDefinition, validateEntity } from "@kehu/schema";
import { computedFieldIssues, dependentIssues } from "../computed/computed-field-issues";

/** The prefix of a batch member's issue paths: its name (`/customer`) when it has one, else its position. */
export function batchPrefix(definition: unknown, index: number): string {
  const name = (definition as { name?: unknown } | null)?.name;
  return `/${pointerSegment(typeof name === "string" && name ? name : index)}`;
}

/**
 * Checks every definition of a batch and throws one `validation_failed` error naming every problem, paths
 * prefixed by the entity (`/customer/fields/2/type`). A reference may target a stored entity or one of the batch.
 */
export function assertValidBatch(
  definitions: readonly unknown[],
  storedNames: ReadonlySet<string>,
  stored: ReadonlyMap<string, { definition: EntityDefinition }> = new Map(),
): void {
  const batchNames = new Set<string>();
  const issues: Issue[] = [];
  definitions.forEach((definition, i) => {
    const name = (definition as { name?: unknown } | null)?.name;
    if (typeof name !== "string") return;
    if (batchNames.has(name))
      issues.push({ path: `${batchPrefix(definition, i)}/name`, message: `"${name}" is defined twice` });
    batchNames.add(name);
  });
  const entityExists = (name: string) => storedNames.has(name) || batchNames.has(name);
  const batch = new Map(definitions.map((d) => [(d as { name?: unknown } | null)?.name, d as EntityDefinition]));
  const lookup = (name: string) => {
    const found = batch.get(name) ?? stored.get(name)?.definition;
    return found && Array.isArray(found.fields) ? found : undefined;
  };
  const computed = (field: Parameters<typeof computedFieldIssues>[0], entity: EntityDefinition) =>
    computedFieldIssues(field, entity, lookup);
  definitions.forEach((definition, i) => {
    const prefix = batchPrefix(definition, i);
    for (const issue of validateEntity(definition, { entityExists, computedFieldIssues: computed }))
      issues.push({ path: issue.path === "/" ? prefix : prefix + issue.path, message: issue.message });
  });
  if (!issues.length) {
    const untouched = [...stored.values()].map((s) => s.definition).filter((d) => !batch.has(d.name));
    for (const { entity, index, issue } of dependentIssues(untouched, lookup))
      issues.push({ path: `/${pointerSegment(entity.name)}/fields/${index}${issue.path}`, message: issue.message });
  }
  if (issues.length) {
    const count = new Set(issues.map((x) => x.path.split("/")[1])).size;
    throw new AppError("validation_failed", `${count} entity definition(s) are not valid; nothing was applied`, issues);
  }
}
