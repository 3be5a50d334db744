import { AppError, type Issue } from "@kehu/core";
import { type EntityDefinition, SYSTEM_FIELDS, type WorkflowTriggerView } from "@kehu/schema";
import type { Knex } from "knex";
import { compileExpression, expressionIssues } from "../expressions/compile-expression";
import { cronProblem } from "../jobs/cron-problem";
import type { Dependent } from "../metadata/dependents";
import type { MetadataRegistry } from "../metadata/registry";
import { recordTriggersChanged } from "./record-trigger-entities";

/** A trigger as stored and shown: starts `key` when a record changes (with a condition) or on a cron schedule. */
export type Trigger = WorkflowTriggerView;

export function triggerOf(row: Record<string, unknown>): Trigger {
  return {
    id: row.id as string,
    key: row.key as string,
    kind: row.kind as Trigger["kind"],
    entity: (row.entity as string | null) ?? null,
    events: row.events as string[],
    condition: (row.condition as string | null) ?? null,
    cron: (row.cron as string | null) ?? null,
    variables: row.variables as Record<string, unknown>,
    enabled: row.enabled as boolean,
  };
}

/**
 * What a condition names: `stage`, `record.stage` and `before.stage` read the field `stage`; any other dotted name
 * (`stage.x`) reads into a value, which a condition cannot (it sees the record's own values).
 */
function conditionReads(condition: string): Array<{ ref: string; via: string; field?: string }> {
  return compileExpression(condition).references.map((ref) => {
    const [via, name] = ref.split(".");
    const field = name === undefined ? via : via === "record" || via === "before" ? name : undefined;
    return { ref, via, field };
  });
}

/**
 * A record trigger's condition sees the record's own values: its fields and system columns by name, or as
 * `record.<field>` and `before.<field>` (the values before an update). A name it does not have would read as null and
 * the trigger would silently never (or always) fire, so it is refused here.
 */
function conditionFieldIssues(condition: string, entity: EntityDefinition): Issue[] {
  const known = new Set<string>([...SYSTEM_FIELDS, ...entity.fields.map((f) => f.name)]);
  const unknown = (name: string) => ({
    path: "/condition",
    message: `${entity.name} has no field "${name}" (a condition reads the record's fields)`,
  });
  return conditionReads(condition).flatMap(({ ref, via, field }): Issue[] => {
    if (field !== undefined) return known.has(field) ? [] : [unknown(field)];
    if (!known.has(via)) return [unknown(via)];
    return [
      {
        path: "/condition",
        message: `"${ref}" cannot be read: a condition sees the record's own values ("${via}" holds the value itself)`,
      },
    ];
  });
}

function triggerIssues(b: Record<string, unknown>, registry: MetadataRegistry): Issue[] {
  const issues: Issue[] = [];
  const bad = (path: string, message: string) => issues.push({ path, message });
  if (typeof b.key !== "string") bad("/key", "key must name a deployed workflow");
  if (b.kind !== "record" && b.kind !== "schedule") bad("/kind", "kind must be record or schedule");
  if (
    b.variables !== undefined &&
    (typeof b.variables !== "object" || b.variables === null || Array.isArray(b.variables))
  )
    bad("/variables", "variables must be an object");
  if (b.kind === "record") {
    if (typeof b.entity !== "string" || !registry.get(b.entity)) bad("/entity", "entity must name an entity");
    const events = b.events ?? ["create"];
    if (!Array.isArray(events) || !events.length || !events.every((e) => e === "create" || e === "update"))
      bad("/events", "events must be a non-empty list of create, update");
    if (b.condition !== undefined && typeof b.condition !== "string")
      bad("/condition", "condition must be an expression");
    if (typeof b.condition === "string") {
      const syntax = expressionIssues(b.condition, "/condition");
      const entity = typeof b.entity === "string" ? registry.get(b.entity) : undefined;
      issues.push(...(syntax.length || !entity ? syntax : conditionFieldIssues(b.condition, entity)));
    }
  }
  if (b.kind === "schedule") {
    const problem = cronProblem(String(b.cron ?? ""));
    if (problem) bad("/cron", `cron ${problem}`);
  }
  for (const k of Object.keys(b))
    if (!["key", "kind", "entity", "events", "condition", "cron", "variables"].includes(k))
      bad(`/${k}`, "unknown property");
  return issues;
}

/** Stores a trigger after checking it (the workflow must be deployed; conditions are safe expressions). */
export async function createTrigger(knex: Knex, registry: MetadataRegistry, body: unknown): Promise<Trigger> {
  const b = (typeof body === "object" && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const issues = triggerIssues(b, registry);
  const deployment = issues.length
    ? undefined
    : await knex("kehu.wf_deployments").where({ key: b.key }).orderBy("version", "desc").first("key", "entity");
  if (!issues.length && !deployment) issues.push({ path: "/key", message: `no workflow deployed under "${b.key}"` });
  // Its expressions and services were checked against its entity's fields: another entity's record would not fit.
  else if (deployment?.entity && b.kind === "record" && b.entity !== deployment.entity)
    issues.push({
      path: "/entity",
      message: `workflow "${b.key}" is started for ${deployment.entity} records, not ${b.entity}`,
    });
  if (issues.length) throw new AppError("validation_failed", "The trigger is not valid", issues);
  const [row] = await knex("kehu.wf_triggers")
    .insert({
      key: b.key,
      kind: b.kind,
      entity: b.kind === "record" ? b.entity : null,
      events: b.kind === "record" ? ((b.events as string[] | undefined) ?? ["create"]) : [],
      condition: b.kind === "record" ? (b.condition ?? null) : null,
      cron: b.kind === "schedule" ? b.cron : null,
      variables: JSON.stringify(b.variables ?? {}),
    })
    .returning("*");
  recordTriggersChanged(knex);
  return triggerOf(row);
}

/** The entity fields a stored condition reads (`stage`, `record.stage`, `before.stage`), system columns left out. */
function conditionFields(condition: string): string[] {
  const fields = conditionReads(condition).flatMap(({ field }) => (field === undefined ? [] : [field]));
  return [...new Set(fields)].filter((f) => !(SYSTEM_FIELDS as readonly string[]).includes(f));
}

/**
 * The impact-graph source of record triggers: the entity each watches and each field its condition reads, as
 * `a trigger of workflow "<key>" reads <entity>.<field>`. Dropping such a field would leave the condition reading
 * null, so the trigger would silently never (or always) start its workflow.
 */
export async function triggerDependents(knex: Knex): Promise<Dependent[]> {
  const rows = await knex("kehu.wf_triggers").where({ kind: "record" }).select("id", "key", "entity", "condition");
  return rows.flatMap((t) => {
    const watches: Dependent = {
      kind: "workflow",
      id: `${t.key}:trigger:${t.id}`,
      label: `a trigger of workflow "${t.key}" watches ${t.entity}`,
      entity: t.entity,
    };
    const reads = (t.condition ? conditionFields(t.condition) : []).map(
      (field): Dependent => ({
        kind: "workflow",
        id: `${t.key}:trigger:${t.id}:${t.entity}.${field}`,
        label: `a trigger of workflow "${t.key}" reads ${t.entity}.${field} (${t.condition})`,
        entity: t.entity,
        field,
      }),
    );
    return [watches, ...reads];
  });
}
