import type { Issue } from "@kehu/core";
import { type EntityDefinition, type FieldDefinition, SYSTEM_FIELDS } from "@kehu/schema";
import { isComputedField } from "../records/record-schema";
import { type FieldPart, headerForms, normaliseHeader } from "./header-names";

/** One sheet column and the field part it fills. */
export interface ColumnTarget {
  index: number;
  header: string;
  field: FieldDefinition;
  part: FieldPart;
}

export interface MappingOptions {
  /** Header text → field name (`credit__currency` for a money currency); null or "" ignores the column. */
  mapping?: Record<string, string | null>;
  /** Leave columns that match no field out instead of refusing the file. */
  ignoreUnknown?: boolean;
  /** Fields the caller may not see: as if they did not exist. */
  hidden: ReadonlySet<string>;
  /** Fields the caller may see but not write. */
  readOnly: ReadonlySet<string>;
}

export interface ColumnMapping {
  columns: ColumnTarget[];
  /** Problems with columns, at `/columns/<header>`; `forbidden` when one names a field the caller may not write. */
  issues: Issue[];
  forbidden: boolean;
}

const SYSTEM = new Set<string>(SYSTEM_FIELDS.map(normaliseHeader));

/**
 * Matches a sheet's header to fields: the explicit mapping first, else by field name or en/zh label (case, space
 * and underscore blind). Columns of computed and system fields are outputs of export and are left out; a column
 * naming a hidden field is unknown (its existence is not confirmed), one naming a read-only field is refused.
 */
export function mapColumns(entity: EntityDefinition, header: string[], options: MappingOptions): ColumnMapping {
  const visible = entity.fields.filter((f) => !options.hidden.has(f.name));
  const byForm = new Map<string, { field: FieldDefinition; part: FieldPart }>();
  for (const part of ["currency", "value"] as const)
    for (const field of visible)
      if (part === "value" || field.type === "money")
        for (const form of headerForms(field, part)) byForm.set(normaliseHeader(form), { field, part });
  const explicit = new Map(Object.entries(options.mapping ?? {}).map(([k, v]) => [normaliseHeader(k), v]));
  const unusedMapping = new Set(Object.keys(options.mapping ?? {}));
  const columns: ColumnTarget[] = [];
  const issues: Issue[] = [];
  let forbidden = false;
  const taken = new Map<string, string>();
  for (const [index, raw] of header.entries()) {
    const headerText = String(raw ?? "").trim();
    const path = `/columns/${headerText || index + 1}`;
    const found = columnTarget(headerText, byForm, explicit, unusedMapping, visible, entity.name, options);
    if (found === undefined) continue;
    if ("message" in found) {
      issues.push({ path, message: found.message });
      continue;
    }
    if (options.readOnly.has(found.field.name)) {
      forbidden = true;
      issues.push({ path, message: `fills "${found.field.name}", which you may not write` });
      continue;
    }
    const slot = `${found.field.name}/${found.part}`;
    const first = taken.get(slot);
    if (first !== undefined) {
      issues.push({ path, message: `fills "${found.field.name}" again (already filled by column "${first}")` });
      continue;
    }
    taken.set(slot, headerText);
    columns.push({ index, header: headerText, ...found });
  }
  for (const k of unusedMapping) issues.push({ path: `/mapping/${k}`, message: "names no column of the file" });
  for (const c of columns)
    if (c.part === "currency" && !columns.some((v) => v.field === c.field && v.part === "value"))
      issues.push({
        path: `/columns/${c.header}`,
        message: `is a currency without an amount column for "${c.field.name}"`,
      });
  return { columns, issues, forbidden };
}

type Target = { field: FieldDefinition; part: FieldPart };

/** The field part a column fills, a problem, or undefined when the column is left out. */
function columnTarget(
  headerText: string,
  byForm: ReadonlyMap<string, Target>,
  explicit: ReadonlyMap<string, string | null>,
  unusedMapping: Set<string>,
  visible: FieldDefinition[],
  entity: string,
  options: MappingOptions,
): Target | { message: string } | undefined {
  const key = normaliseHeader(headerText);
  if (explicit.has(key)) {
    for (const k of unusedMapping) if (normaliseHeader(k) === key) unusedMapping.delete(k);
    const name = explicit.get(key);
    if (name === null || name === "" || name === undefined) return undefined;
    const target = explicitTarget(visible, name);
    if (!target) return { message: `is mapped to "${name}", not a field of ${entity}` };
    if (isComputedField(target.field)) return { message: `is mapped to "${name}", which is computed and read-only` };
    return target;
  }
  if (!headerText) return undefined;
  const target = byForm.get(key);
  if (target && !isComputedField(target.field) && !SYSTEM.has(key)) return target;
  if (target || SYSTEM.has(key) || options.ignoreUnknown) return undefined;
  return { message: `matches no field of ${entity}; map it or ignore unknown columns` };
}

function explicitTarget(
  fields: FieldDefinition[],
  name: string,
): { field: FieldDefinition; part: FieldPart } | undefined {
  const currency = /^(.+?)(?:__|\.)currency$/.exec(name);
  const field = fields.find((f) => f.name === (currency ? currency[1] : name));
  if (!field || (currency && field.type !== "money")) return undefined;
  return { field, part: currency ? "currency" : "value" };
}
