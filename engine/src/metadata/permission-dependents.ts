import type { Knex } from "knex";
import type { Dependent, DependentSource } from "./dependents";

/**
 * The roles' permissions as dependants: a field permission depends on its field, a role's entity permissions
 * on the entity. Breaking one leaves the permission rows in place, so they apply again if the field returns.
 */
export const permissionDependents: DependentSource = async (knex: Knex): Promise<Dependent[]> => {
  const fields: Array<{ role: string; entity: string; field: string }> = await knex("kehu.field_permissions as p")
    .join("kehu.roles as r", "r.id", "p.role_id")
    .select("r.name as role", "p.entity", "p.field")
    .orderBy(["r.name", "p.entity", "p.field"]);
  const entities: Array<{ role: string; entity: string }> = await knex("kehu.role_permissions as p")
    .join("kehu.roles as r", "r.id", "p.role_id")
    .distinct("r.name as role", "p.entity")
    .orderBy(["role", "p.entity"]);
  return [
    ...fields.map((p) => ({
      kind: "permission" as const,
      id: `${p.role}:${p.entity}.${p.field}`,
      label: `the field permission of role "${p.role}" on ${p.entity}.${p.field}`,
      entity: p.entity,
      field: p.field,
    })),
    ...entities.map((p) => ({
      kind: "permission" as const,
      id: `${p.role}:${p.entity}`,
      label: `the permissions of role "${p.role}" on ${p.entity}`,
      entity: p.entity,
    })),
  ];
};
