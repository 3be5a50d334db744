import type { Knex } from "knex";

export interface WorkflowSettings {
  /** BPMN script tasks and script conditions run in node:vm, which is not a sandbox: off unless an admin enables it. */
  scriptsEnabled: boolean;
}

export async function workflowSettings(knex: Knex): Promise<WorkflowSettings> {
  const row = await knex("kehu.wf_settings").where({ key: "scriptsEnabled" }).first("value");
  return { scriptsEnabled: row?.value === true };
}

export async function setScriptsEnabled(knex: Knex, enabled: boolean): Promise<void> {
  await knex("kehu.wf_settings")
    .insert({ key: "scriptsEnabled", value: JSON.stringify(enabled) })
    .onConflict("key")
    .merge();
}
