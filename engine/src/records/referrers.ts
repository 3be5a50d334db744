import type { EntityDefinition, FieldDefinition } from "@kehu/schema";

/** A reference field of some entity that points at a given entity. */
export interface Referrer {
  entity: EntityDefinition;
  field: FieldDefinition;
}

/** Every reference field, across all entities, whose target is `target`. */
export function referrersOf(entities: readonly EntityDefinition[], target: string): Referrer[] {
  return entities.flatMap((entity) =>
    entity.fields.filter((f) => f.type === "reference" && f.target === target).map((field) => ({ entity, field })),
  );
}
