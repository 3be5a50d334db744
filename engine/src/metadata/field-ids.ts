import { randomBytes } from "node:crypto";
import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { matchFields } from "./field-matching";

/** A short random field id: `f` and 8 base36 characters. */
export function newFieldId(): string {
  return `f${Array.from(randomBytes(8), (b) => (b % 36).toString(36)).join("")}`;
}

/**
 * The definition as it is stored: every field has an `id` (kept from the field it continues, else new) and
 * no `renamedFrom`, which only matters while matching.
 */
export function withFieldIds(next: EntityDefinition, stored?: EntityDefinition): EntityDefinition {
  const { oldOf } = matchFields(stored?.fields ?? [], next.fields);
  const taken = new Set(next.fields.map((f) => f.id).filter((id) => id !== undefined));
  const fields = next.fields.map((field, i): FieldDefinition => {
    const { renamedFrom: _, id: given, ...rest } = field;
    const inherited = oldOf[i]?.id;
    const id = given ?? (inherited !== undefined && !taken.has(inherited) ? inherited : unusedId(taken));
    taken.add(id);
    return { id, ...rest };
  });
  return { ...next, fields };
}

function unusedId(taken: ReadonlySet<string>): string {
  for (;;) {
    const id = newFieldId();
    if (!taken.has(id)) return id;
  }
}
