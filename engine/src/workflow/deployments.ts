import { createHash } from "node:crypto";
import { AppError, type Issue } from "@kehu/core";
import type { Knex } from "knex";
import type { Dependent } from "../metadata/dependents";
import type { MetadataRegistry } from "../metadata/registry";
import { checkDeployment, type DeploymentRead } from "./deployment-check";
import { parseBpmn } from "./parse-bpmn";
import type { ServiceLibrary } from "./service-library";
import { workflowSettings } from "./workflow-settings";

export interface DeploymentInput {
  key: string;
  xml: string;
  name?: string;
  entity?: string;
}

export interface Deployment {
  key: string;
  version: number;
  name: string | null;
  entity: string | null;
  reads: DeploymentRead[];
  createdBy: string;
  createdAt: string;
}

const KEY = /^[a-z][a-z0-9_-]{0,62}$/;

function inputIssues(body: unknown): Issue[] {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const issues: Issue[] = [];
  if (typeof b.key !== "string" || !KEY.test(b.key))
    issues.push({ path: "/key", message: "key must be lower-case letters, digits, _ or - (starting with a letter)" });
  if (typeof b.xml !== "string" || !b.xml.trim()) issues.push({ path: "/xml", message: "xml must be BPMN 2.0 XML" });
  if (b.name !== undefined && typeof b.name !== "string") issues.push({ path: "/name", message: "name must be text" });
  if (b.entity !== undefined && typeof b.entity !== "string")
    issues.push({ path: "/entity", message: "entity must be an entity name" });
  for (const k of Object.keys(b))
    if (!["key", "xml", "name", "entity"].includes(k)) issues.push({ path: `/${k}`, message: "unknown property" });
  return issues;
}

export function deploymentOf(row: Record<string, unknown>): Deployment {
  return {
    key: row.key as string,
    version: row.version as number,
    name: (row.name as string | null) ?? null,
    entity: (row.entity as string | null) ?? null,
    reads: row.reads as DeploymentRead[],
    createdBy: row.created_by as string,
    createdAt: new Date(row.created_at as string).toISOString(),
  };
}

/**
 * Deploys BPMN XML under a key: checked first (422 naming each element and reason), then stored as a new version
 * unless the latest version has the same XML (same XML → same version). Concurrent deploys of one key are serialised.
 */
export async function deployWorkflow(
  knex: Knex,
  deps: { library: ServiceLibrary; registry: MetadataRegistry },
  body: unknown,
  actor: string,
): Promise<{ deployment: Deployment; created: boolean }> {
  const issues = inputIssues(body);
  if (issues.length) throw new AppError("validation_failed", "The deployment is not valid", issues);
  const input = body as DeploymentInput;
  if (input.entity !== undefined && !deps.registry.get(input.entity))
    throw new AppError("validation_failed", `No entity named "${input.entity}"`, [
      { path: "/entity", message: "unknown entity" },
    ]);
  const parsed = await parseBpmn(input.xml);
  const settings = await workflowSettings(knex);
  const checked = parsed.definitions
    ? checkDeployment(parsed.definitions, { ...deps, scriptsEnabled: settings.scriptsEnabled, entity: input.entity })
    : { issues: [], reads: [] };
  const all = [...parsed.issues, ...checked.issues];
  if (all.length) throw new AppError("invalid_workflow", `Workflow "${input.key}" cannot be deployed`, all);
  const hash = createHash("sha256")
    .update(JSON.stringify([input.xml, input.entity ?? null, input.name ?? null]))
    .digest("hex");
  return knex.transaction(async (trx) => {
    await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [`kehu.wf_deployments:${input.key}`]);
    const latest = await trx("kehu.wf_deployments").where({ key: input.key }).orderBy("version", "desc").first();
    if (latest?.hash === hash) return { deployment: deploymentOf(latest), created: false };
    const [row] = await trx("kehu.wf_deployments")
      .insert({
        key: input.key,
        version: (latest?.version ?? 0) + 1,
        name: input.name ?? null,
        entity: input.entity ?? null,
        xml: input.xml,
        hash,
        reads: JSON.stringify(checked.reads),
        created_by: actor,
      })
      .returning("*");
    return { deployment: deploymentOf(row), created: true };
  });
}

/**
 * The impact-graph source: every field read by the latest version of each key or by a version with instances
 * still running, as `workflow "<key>" v<n> reads <entity>.<field>`.
 */
export async function workflowDependents(knex: Knex): Promise<Dependent[]> {
  const rows: Array<{ key: string; version: number; reads: DeploymentRead[] }> = await knex("kehu.wf_deployments as d")
    .where((q) =>
      q
        .whereRaw("d.version = (SELECT max(version) FROM kehu.wf_deployments x WHERE x.key = d.key)")
        .orWhereExists((s) =>
          s
            .from("kehu.wf_instances as i")
            .whereRaw("i.key = d.key AND i.version = d.version")
            .whereIn("i.status", ["running", "waiting", "failed"]),
        ),
    )
    .select("d.key", "d.version", "d.reads");
  const out = new Map<string, Dependent>();
  for (const { key, version, reads } of rows)
    for (const r of reads) {
      const target = r.field ? `${r.entity}.${r.field}` : r.entity;
      const id = `${key}@${version}:${target}`;
      out.set(id, {
        kind: "workflow",
        id,
        label: `workflow "${key}" v${version} reads ${target}`,
        entity: r.entity,
        field: r.field,
      });
    }
  return [...out.values()];
}
