import { AppError, type Issue } from "@kehu/core";
import type { Knex } from "knex";

export interface WorkflowSettings {
  /** BPMN script tasks and script conditions run in node:vm, which is not a sandbox: off unless an admin enables it. */
  scriptsEnabled: boolean;
  /** Hosts (`api.example.com`, or `host:port`) the `http` service may call; none unless an admin adds them. */
  httpAllowedHosts: string[];
}

const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/;

export async function workflowSettings(knex: Knex): Promise<WorkflowSettings> {
  const rows: Array<{ key: string; value: unknown }> = await knex("kehu.wf_settings")
    .whereIn("key", ["scriptsEnabled", "httpAllowedHosts"])
    .select("key", "value");
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const hosts = value("httpAllowedHosts");
  return { scriptsEnabled: value("scriptsEnabled") === true, httpAllowedHosts: Array.isArray(hosts) ? hosts : [] };
}

async function put(knex: Knex, key: string, value: unknown): Promise<void> {
  await knex("kehu.wf_settings")
    .insert({ key, value: JSON.stringify(value) })
    .onConflict("key")
    .merge();
}

/** Changes the settings a body names (`scriptsEnabled`, `httpAllowedHosts`); a 400 names every bad property. */
export async function updateWorkflowSettings(knex: Knex, body: unknown): Promise<WorkflowSettings> {
  const b = (typeof body === "object" && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const issues: Issue[] = [];
  if (b.scriptsEnabled !== undefined && typeof b.scriptsEnabled !== "boolean")
    issues.push({ path: "/scriptsEnabled", message: "not a boolean" });
  const hosts = b.httpAllowedHosts;
  if (hosts !== undefined) {
    if (!Array.isArray(hosts)) issues.push({ path: "/httpAllowedHosts", message: "must be a list of host names" });
    else
      hosts.forEach((h, i) => {
        if (typeof h !== "string" || !HOST.test(h.toLowerCase()))
          issues.push({ path: `/httpAllowedHosts/${i}`, message: "must be a host name, optionally with :port" });
      });
  }
  for (const k of Object.keys(b))
    if (k !== "scriptsEnabled" && k !== "httpAllowedHosts") issues.push({ path: `/${k}`, message: "unknown setting" });
  if (!Object.keys(b).length) issues.push({ path: "", message: "name scriptsEnabled or httpAllowedHosts" });
  if (issues.length) throw new AppError("validation_failed", "The workflow settings are not valid", issues);
  await knex.transaction(async (trx) => {
    if (typeof b.scriptsEnabled === "boolean") await put(trx, "scriptsEnabled", b.scriptsEnabled);
    if (Array.isArray(hosts))
      await put(trx, "httpAllowedHosts", [...new Set((hosts as string[]).map((h) => h.toLowerCase()))].sort());
  });
  return workflowSettings(knex);
}
