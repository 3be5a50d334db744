import type { EngineContext } from "../engine-context";
import { type Trigger, triggerOf } from "./triggers";

/** The triggers in force, per workflow key (as an app package's `<key>.workflow.yaml` installed them). */
export async function installedTriggers(ctx: EngineContext): Promise<Record<string, Trigger[]>> {
  const byKey: Record<string, Trigger[]> = {};
  for (const row of await ctx.db.knex("kehu.wf_triggers").orderBy("created_at")) {
    const trigger = triggerOf(row);
    byKey[trigger.key] = [...(byKey[trigger.key] ?? []), trigger];
  }
  return byKey;
}
