import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { EngineContext } from "../engine-context";
import { templateDir } from "../testing/apply-template";
import { deployWorkflow } from "./deployments";
import { createTrigger, type Trigger, triggerOf } from "./triggers";

/**
 * Deploys a template's `workflows/<key>.bpmn` files with their `<key>.workflow.yaml` (name, entity, triggers) the way
 * an app package describes them, for tests; returns the triggers created per workflow key.
 */
export async function deployTemplateWorkflows(
  ctx: EngineContext,
  template: string,
): Promise<Record<string, Trigger[]>> {
  const dir = join(templateDir(template), "workflows");
  const keys = readdirSync(dir)
    .filter((f) => f.endsWith(".bpmn"))
    .map((f) => f.slice(0, -".bpmn".length))
    .sort();
  const runtime = ctx.workflows;
  if (!runtime) throw new Error("the engine has no workflow runtime");
  // applyTemplate installs the workflows with their triggers: deploying again would start every process twice.
  const installed = await ctx.db.knex("kehu.wf_triggers").whereIn("key", keys).orderBy("created_at").orderBy("id");
  if (installed.length) {
    const byKey: Record<string, Trigger[]> = Object.fromEntries(keys.map((k) => [k, []]));
    for (const row of installed) byKey[row.key].push(triggerOf(row));
    return byKey;
  }
  const specs = keys.map((key) => {
    const yamlFile = join(dir, `${key}.workflow.yaml`);
    const spec = existsSync(yamlFile) ? (parse(readFileSync(yamlFile, "utf8")) ?? {}) : {};
    return { key, spec: spec as { name?: string; entity?: string; triggers?: Record<string, unknown>[] } };
  });
  for (const { key, spec } of specs)
    await deployWorkflow(
      ctx.db.knex,
      { library: runtime.library, registry: ctx.registry },
      {
        key,
        xml: readFileSync(join(dir, `${key}.bpmn`), "utf8"),
        ...(spec.name ? { name: spec.name } : {}),
        ...(spec.entity ? { entity: spec.entity } : {}),
      },
      "test",
    );
  const triggers: Record<string, Trigger[]> = {};
  for (const { key, spec } of specs) {
    triggers[key] = [];
    for (const t of spec.triggers ?? [])
      triggers[key].push(await createTrigger(ctx.db.knex, ctx.registry, { key, ...t }));
  }
  return triggers;
}
