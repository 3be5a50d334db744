import type { FormDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import type { Principal } from "../security/principal";
import { listForms } from "./form-store";

/**
 * The form that applies to a caller: the form of one of their roles (by form name when several do), else the
 * entity's default form, else null. Fields the caller may not see are taken out, and sections left empty too.
 */
export async function resolveForm(
  knex: Knex,
  entity: string,
  principal: Principal,
  hidden: ReadonlySet<string>,
): Promise<FormDefinition | null> {
  const forms = (await listForms(knex, entity)).map((f) => f.definition);
  if (!forms.length) return null;
  const roleNames = principal.roleIds.length
    ? new Set<string>(
        (await knex("kehu.roles").whereIn("id", principal.roleIds).select("name")).map((r: { name: string }) => r.name),
      )
    : new Set<string>();
  const form = forms.find((f) => f.role && roleNames.has(f.role)) ?? forms.find((f) => !f.role);
  if (!form) return null;
  const sections = form.sections
    .map((s) => ({ ...s, fields: s.fields.filter((f) => !hidden.has(f.field)) }))
    .filter((s) => s.fields.length > 0);
  return { ...form, sections };
}
