import { isUuid } from "@kehu/core";
import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import type { MetadataRegistry } from "../metadata/registry";
import type { Access } from "../security/access";
import { entityTableRef } from "../storage/identifiers";

/** The fields a reference cell may name a target record by: its title field and its unique text fields. */
export function lookupFields(target: EntityDefinition, hidden: ReadonlySet<string>): string[] {
  const names = new Set<string>();
  if (target.titleField) names.add(target.titleField);
  for (const f of target.fields)
    if (f.unique && (f.type === "text" || f.type === "email" || f.type === "phone")) names.add(f.name);
  for (const ix of target.indexes ?? []) if (ix.unique && ix.fields.length === 1) names.add(ix.fields[0]);
  return [...names].filter((n) => !hidden.has(n) && target.fields.some((f) => f.name === n));
}

/**
 * Ids of the target records that reference cells name (ids pass through), with one query per reference field for
 * all the given values, within the caller's read scope of the target: a value matching none is missing, one
 * matching several records is ambiguous; both come back as messages.
 */
export async function resolveReferences(
  knex: Knex,
  registry: MetadataRegistry,
  access: Access,
  field: FieldDefinition,
  values: readonly string[],
): Promise<Map<string, { id: string } | { error: string }>> {
  const out = new Map<string, { id: string } | { error: string }>();
  const names = [...new Set(values.filter((v) => !isUuid(v)))];
  for (const v of values) if (isUuid(v)) out.set(v, { id: v.toLowerCase() });
  if (!names.length) return out;
  const target = registry.require(field.target!);
  const by = lookupFields(target, access.hidden(target.name));
  const readable = access.scopeOf(target.name, "read") !== undefined;
  const matches = new Map<string, Set<string>>();
  if (readable && by.length) {
    const query = knex(entityTableRef(target.name))
      .whereNull("deleted_at")
      .where((q) => {
        for (const f of by) q.orWhereRaw("??::text = ANY(?::text[])", [f, names]);
      })
      .select(["id", ...by.map((f) => knex.raw("??::text AS ??", [f, `k_${f}`]))]);
    const scope = access.where(target, "read");
    if (scope) query.where(scope);
    for (const row of (await query) as Array<Record<string, string | null>>)
      for (const f of by) {
        const key = row[`k_${f}`];
        if (key === null || key === undefined) continue;
        if (!matches.has(key)) matches.set(key, new Set());
        matches.get(key)!.add(row.id as string);
      }
  }
  const what = by.length ? by.join(" or ") : "id";
  for (const name of names) {
    const ids = [...(matches.get(name) ?? [])];
    if (ids.length === 1) out.set(name, { id: ids[0] });
    else if (ids.length > 1)
      out.set(name, {
        error: `"${name}" matches ${ids.length} ${target.name} records; give its ${what} exactly or its id`,
      });
    else out.set(name, { error: `no ${target.name} record with ${what} "${name}"` });
  }
  return out;
}
