import { AppError, type Issue, pointer } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { entityTableRef } from "../storage/identifiers";

/**
 * Checks that every reference value in `records` points at a live record of its target entity, with one
 * query per reference field. Returns issues at `/<prefix><index>/<field>` (prefix "" for a single record).
 */
export async function referenceIssues(
  knex: Knex,
  entity: EntityDefinition,
  records: ReadonlyArray<Record<string, unknown>>,
  pathOf: (index: number, field: string) => string = (_i, f) => pointer(f),
): Promise<Issue[]> {
  const issues: Issue[] = [];
  for (const field of entity.fields) {
    if (field.type !== "reference" || !field.target) continue;
    const ids = new Set<string>();
    for (const r of records) if (typeof r[field.name] === "string") ids.add(r[field.name] as string);
    if (!ids.size) continue;
    const found = new Set<string>(
      await knex(entityTableRef(field.target))
        .whereIn("id", [...ids])
        .whereNull("deleted_at")
        .pluck("id"),
    );
    records.forEach((r, i) => {
      const id = r[field.name];
      if (typeof id === "string" && !found.has(id))
        issues.push({ path: pathOf(i, field.name), message: `no ${field.target} record with id ${id}` });
    });
  }
  return issues;
}

export async function assertReferencesExist(knex: Knex, entity: EntityDefinition, record: Record<string, unknown>) {
  const issues = await referenceIssues(knex, entity, [record]);
  if (issues.length)
    throw new AppError("validation_failed", `The ${entity.name} record refers to missing records`, issues);
}
