import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { newFieldId } from "../metadata/field-ids";
import { matchFields } from "../metadata/field-matching";
import { canonicalEntity } from "./canonical-entity";
import { type MergeLog, same } from "./merge-conflict";
import { enumKey, indexKey, mergeKeyedList } from "./merge-keyed-list";

type Json = Record<string, unknown>;

/** An entity merged for an upgrade, and the template's definition with the field ids it now has (the next base). */
export interface MergedEntity {
  definition: EntityDefinition;
  base: EntityDefinition;
}

/**
 * Three-way merge of one entity: `installed` (the template as installed, with field ids; undefined when the
 * template did not have the entity), `template` (the new files; fields pair with installed ones by id, then
 * `renamedFrom`, then name) and `local` (the stored definition; fields pair with installed ones by id).
 * Per entity property, per field, per field property and per enum value, a change on one side is taken,
 * local additions are kept, template additions are added, and differing changes are conflicts.
 */
export function mergeEntity(
  log: MergeLog,
  installed: EntityDefinition | undefined,
  template: EntityDefinition,
  local: EntityDefinition,
): MergedEntity {
  const b = canonicalEntity(installed ?? { name: template.name, fields: [] });
  const t = canonicalEntity(template);
  const o = canonicalEntity(local);
  const name = template.name;
  const out: Json = { name };
  for (const key of keysOf([b, t, o], ["name", "fields"])) {
    const [was, next, mine] = [b, t, o].map((e) => prop(e, key));
    const value =
      key === "indexes" && [was ?? [], next ?? [], mine ?? []].every(Array.isArray)
        ? emptyAsAbsent(
            mergeKeyedList(log, `${name}.indexes`, listOf(was), listOf(next), listOf(mine), indexKey, "index"),
          )
        : log.value(`${name}.${key}`, was, next, mine);
    if (value !== undefined) out[key] = value;
  }
  const { fields, templateIds } = mergeFields(log, name, b.fields ?? [], t.fields ?? [], o.fields ?? []);
  out.fields = fields;
  const baseFields = (t.fields ?? []).map((f, i) => withoutRename({ ...f, id: templateIds[i] }));
  return {
    definition: canonicalEntity(out as unknown as EntityDefinition),
    base: canonicalEntity({ ...t, fields: baseFields }),
  };
}

function mergeFields(
  log: MergeLog,
  entity: string,
  installed: FieldDefinition[],
  template: FieldDefinition[],
  local: FieldDefinition[],
): { fields: FieldDefinition[]; templateIds: string[] } {
  const { oldOf } = matchFields(installed, template);
  const templateOf = new Map(oldOf.flatMap((b, i) => (b ? [[b, i] as const] : [])));
  const installedById = new Map(installed.map((f) => [f.id, f]));
  const localIds = new Set(local.map((f) => f.id));
  const templateIds: Array<string | undefined> = template.map((f, i) => f.id ?? oldOf[i]?.id);
  const used = new Set<number>(templateOf.values());
  const out: FieldDefinition[] = [];
  const key = (field: string) => `${entity}.fields.${field}`;

  for (const mine of local) {
    const was = mine.id === undefined ? undefined : installedById.get(mine.id);
    if (!was) {
      // Added locally; the template may have added a field of the same name.
      const i = template.findIndex((f, j) => !oldOf[j] && !used.has(j) && f.name === mine.name);
      if (i < 0) {
        log.keptLocal.push(key(mine.name));
        out.push(mine);
        continue;
      }
      used.add(i);
      templateIds[i] = mine.id;
      out.push(mergeField(log, key(mine.name), undefined, template[i], mine));
      continue;
    }
    const i = templateOf.get(was);
    if (i !== undefined) out.push(mergeField(log, key(mine.name), was, template[i], mine));
    else if (!sameField(mine, was)) {
      const reason = "the template deletes this field; it was changed locally";
      if (log.conflict({ key: key(mine.name), reason, installed: lean(was), local: lean(mine) }) === "local")
        out.push(mine);
    }
  }
  const restore = new Set<number>();
  for (const was of installed) {
    const i = templateOf.get(was);
    if (localIds.has(was.id) || i === undefined || sameField(template[i], was)) continue;
    const reason = "deleted locally; the template changes it";
    if (log.conflict({ key: key(was.name), reason, installed: lean(was), template: lean(template[i]) }) === "template")
      restore.add(i);
  }
  template.forEach((field, i) => {
    if ((oldOf[i] && !restore.has(i)) || (!oldOf[i] && used.has(i))) return;
    templateIds[i] ??= newFieldId();
    insertAfter(out, templateIds.slice(0, i), withoutRename({ ...field, id: templateIds[i] }));
  });
  return { fields: out, templateIds: templateIds as string[] };
}

function mergeField(
  log: MergeLog,
  key: string,
  installed: FieldDefinition | undefined,
  template: FieldDefinition,
  local: FieldDefinition,
): FieldDefinition {
  const out: Json = { id: local.id };
  const sides = [installed ?? {}, template, local] as Json[];
  for (const p of keysOf(sides, ["id", "renamedFrom"])) {
    const [b, t, o] = sides.map((s) => s[p]);
    const value =
      p === "values" && Array.isArray(b) && Array.isArray(t) && Array.isArray(o)
        ? mergeKeyedList(log, `${key}.values`, b, t, o, enumKey, "value")
        : log.value(`${key}.${p}`, b, t, o);
    if (value !== undefined) out[p] = value;
  }
  return out as unknown as FieldDefinition;
}

function insertAfter(out: FieldDefinition[], before: ReadonlyArray<string | undefined>, field: FieldDefinition) {
  for (let j = before.length - 1; j >= 0; j--) {
    const at = out.findIndex((f) => f.id === before[j]);
    if (at >= 0) {
      out.splice(at + 1, 0, field);
      return;
    }
  }
  out.unshift(field);
}

function sameField(a: FieldDefinition, b: FieldDefinition): boolean {
  return same(lean(a), lean(b));
}

/** A field without what only identifies it (id, renamedFrom): how conflicts show it. */
function lean({ id: _, renamedFrom: __, ...rest }: FieldDefinition) {
  return rest;
}

function withoutRename({ renamedFrom: _, ...field }: FieldDefinition): FieldDefinition {
  return field;
}

function keysOf(objects: readonly object[], skip: readonly string[]): string[] {
  const keys = new Set(objects.flatMap((o) => Object.keys(o)));
  return [...keys].filter((k) => !skip.includes(k));
}

function listOf(value: unknown): unknown[] {
  return (value ?? []) as unknown[];
}

function emptyAsAbsent(list: unknown[]): unknown[] | undefined {
  return list.length ? list : undefined;
}

function prop(entity: EntityDefinition, key: string): unknown {
  return (entity as unknown as Json)[key];
}
