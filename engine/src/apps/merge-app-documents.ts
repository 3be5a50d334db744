import type { FormDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import { getForm } from "../forms/form-store";
import { readRolePermissions } from "../security/role-permissions";
import type { RoleSpec } from "./app-access";
import { type MergeLog, same } from "./merge-conflict";
import { mergeDocument } from "./merge-document";

/** A role as a template file describes it and as it is stored: what the three-way merge compares. */
export interface RoleDocument {
  name: string;
  label?: Record<string, string> | null;
  description?: string | null;
  permissions: Record<string, unknown>;
  fields: Record<string, unknown>;
}

/** A package's forms and roles: the template's (recorded as installed) or the merged ones (to apply). */
export interface AppDocuments {
  forms: FormDefinition[];
  roles: RoleDocument[];
}

export function roleDocument(spec: Omit<RoleSpec, "file">): RoleDocument {
  return {
    name: spec.name,
    label: spec.label ?? null,
    description: spec.description ?? null,
    permissions: spec.permissions ?? {},
    fields: spec.fields ?? {},
  };
}

/** The stored role of that name in the template's shape, or undefined when there is none. */
export async function localRole(knex: Knex, name: string): Promise<RoleDocument | undefined> {
  const row = await knex("kehu.roles").where({ name }).first("id", "label", "description");
  if (!row) return undefined;
  const { entities, fields } = await readRolePermissions(knex, row.id);
  return { name, label: row.label ?? null, description: row.description ?? null, permissions: entities, fields };
}

/**
 * Three-way merge of a package's forms and roles on an upgrade, document by document: `installed` is what the
 * template had when last applied (undefined: not recorded, the template is taken as is), `template` the new files,
 * the local documents are what is stored now. A document the customer deleted stays deleted unless the template
 * changed it (a conflict); conflicts are keyed `forms.<name>.…` and `roles.<name>.…`.
 */
export async function mergeAppDocuments(
  knex: Knex,
  log: MergeLog,
  installed: AppDocuments | undefined,
  template: AppDocuments,
): Promise<AppDocuments> {
  if (!installed) return template;
  const forms: FormDefinition[] = [];
  for (const next of template.forms) {
    const was = installed.forms.find((f) => f.name === next.name);
    const mine = (await getForm(knex, next.entity, next.name))?.definition;
    const merged = mergeOne(log, `forms.${next.name}`, was, next, mine);
    if (merged) forms.push(merged as FormDefinition);
  }
  const roles: RoleDocument[] = [];
  for (const next of template.roles) {
    const was = installed.roles.find((r) => r.name === next.name);
    const merged = mergeOne(log, `roles.${next.name}`, was, next, await localRole(knex, next.name));
    if (merged) roles.push(merged as RoleDocument);
  }
  return { forms, roles };
}

function mergeOne(log: MergeLog, key: string, installed: unknown, template: unknown, local: unknown): unknown {
  if (local !== undefined) return mergeDocument(log, key, installed, template, local);
  if (installed === undefined) return template;
  if (same(template, installed)) return undefined;
  const reason = "deleted locally; the template changes it";
  return log.conflict({ key, reason, installed, template }) === "template" ? template : undefined;
}
