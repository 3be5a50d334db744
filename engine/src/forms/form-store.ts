import { AppError, type Issue } from "@kehu/core";
import type { FormDefinition } from "@kehu/schema";
import type { Knex } from "knex";
import type { EngineContext } from "../engine-context";
import { canonicalJson } from "../storage/canonical-json";
import { validateForm } from "./validate-form";

/** A stored form: its definition, revision and who changed it last. */
export interface StoredForm {
  definition: FormDefinition;
  revision: number;
  updatedBy: string;
  updatedAt: string;
}

interface FormRow {
  definition: FormDefinition;
  revision: number;
  updated_by: string;
  updated_at: string | Date;
}

const toStored = (r: FormRow): StoredForm => ({
  definition: r.definition,
  revision: Number(r.revision),
  updatedBy: r.updated_by,
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** The forms of one entity (or all), by entity then name. */
export async function listForms(knex: Knex, entity?: string): Promise<StoredForm[]> {
  const q = knex("kehu.forms").orderBy(["entity", "name"]);
  if (entity) q.where({ entity });
  return (await q.select<FormRow[]>("definition", "revision", "updated_by", "updated_at")).map(toStored);
}

export async function getForm(knex: Knex, entity: string, name: string): Promise<StoredForm | undefined> {
  const row = await knex("kehu.forms").where({ entity, name }).first<FormRow | undefined>();
  return row && toStored(row);
}

/** Every problem of a form about to be stored: its own, and another form of the entity for the same role. */
export async function formIssues(ctx: EngineContext, input: unknown, knex: Knex = ctx.db.knex): Promise<Issue[]> {
  const roles = new Set<string>((await knex("kehu.roles").select("name")).map((r: { name: string }) => r.name));
  const issues = validateForm(input, { entity: (n) => ctx.registry.get(n), roleExists: (n) => roles.has(n) });
  if (issues.length) return issues;
  const form = input as FormDefinition;
  const clash = await knex("kehu.forms")
    .where({ entity: form.entity })
    .whereNot({ name: form.name })
    .whereRaw("coalesce(role, '') = ?", [form.role ?? ""])
    .first("name");
  if (clash)
    issues.push({
      path: "/role",
      message: `form "${clash.name}" is already the ${form.role ? `form of role "${form.role}"` : "default form"} of ${form.entity}`,
    });
  return issues;
}

/** Creates or replaces a form; throws `validation_failed` naming every problem, and writes nothing then. */
export async function saveForm(
  ctx: EngineContext,
  input: unknown,
  opts: { actor: string; dryRun?: boolean },
): Promise<{ form: FormDefinition; revision: number; created: boolean; dryRun: boolean }> {
  return ctx.db.knex.transaction(async (trx) => {
    const issues = await formIssues(ctx, input, trx);
    if (issues.length) throw new AppError("validation_failed", `The form has ${issues.length} problem(s)`, issues);
    const form = normalise(input as FormDefinition);
    const before = await trx("kehu.forms")
      .where({ entity: form.entity, name: form.name })
      .forUpdate()
      .first("revision");
    const revision = before ? Number(before.revision) + 1 : 1;
    if (opts.dryRun) return { form, revision, created: !before, dryRun: true };
    const row = {
      entity: form.entity,
      name: form.name,
      role: form.role ?? null,
      definition: JSON.stringify(form),
      revision,
      updated_by: opts.actor,
      updated_at: trx.fn.now(),
    };
    await trx("kehu.forms").insert(row).onConflict(["entity", "name"]).merge();
    return { form, revision, created: !before, dryRun: false };
  });
}

/** Whether the stored form differs from `form` (idempotent apply skips equal ones). */
export function sameForm(a: FormDefinition, b: FormDefinition): boolean {
  // jsonb does not keep key order, so equality compares keys sorted.
  return canonicalJson(normalise(a)) === canonicalJson(normalise(b));
}

export async function deleteForm(knex: Knex, entity: string, name: string): Promise<void> {
  const gone = await knex("kehu.forms").where({ entity, name }).delete().returning("name");
  if (!gone.length) throw new AppError("not_found", `${entity} has no form named "${name}"`);
}

function normalise(form: FormDefinition): FormDefinition {
  return { ...form, role: form.role ?? null };
}
