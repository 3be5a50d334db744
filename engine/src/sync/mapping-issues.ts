import type { Catalog, JsonSchema, StreamDescriptor } from "@kehu/connector-kit";
import type { Issue } from "@kehu/core";
import {
  ajvIssues,
  COMPUTED_FIELD_TYPES,
  createAjv,
  type EntityDefinition,
  enumValueNames,
  type FieldDefinition,
  type SyncMapping,
  syncMappingSchema,
} from "@kehu/schema";
import { cronProblem } from "../jobs/cron-problem";
import { type FieldSource, fieldSourceOf, sourcePaths } from "./field-source";
import { expressionProblem } from "./sync-expression";

const validateShape = createAjv().compile(syncMappingSchema);

/** What a mapping is checked against: the entities in force and, when known, the connection's catalog. */
export interface MappingContext {
  entity: (name: string) => EntityDefinition | undefined;
  catalog?: Catalog | null;
}

/** Every problem of a mapping, with paths: its shape, its entity fields, its stream fields. Never throws. */
export function mappingIssues(body: unknown, context: MappingContext): Issue[] {
  if (!validateShape(body)) return ajvIssues(validateShape.errors);
  const mapping = body as SyncMapping;
  const entity = context.entity(mapping.entity);
  if (!entity) return [{ path: "/entity", message: `no entity named "${mapping.entity}"` }];
  const stream = context.catalog?.streams.find((s) => s.name === mapping.stream);
  const issues: Issue[] = [];
  if (context.catalog && !stream)
    issues.push({
      path: "/stream",
      message: `the connection offers no stream "${mapping.stream}"; it offers: ${context.catalog.streams.map((s) => s.name).join(", ")}`,
    });
  if (stream) issues.push(...streamIssues(mapping, stream));
  if (mapping.key.entity) {
    const keyField = entity.fields.find((f) => f.name === mapping.key.entity);
    if (!keyField) issues.push({ path: "/key/entity", message: `${entity.name} has no field "${mapping.key.entity}"` });
    else if (!isUnique(entity, keyField.name))
      issues.push({ path: "/key/entity", message: `must be a unique field of ${entity.name}` });
  }
  for (const [name, raw] of Object.entries(mapping.fields)) {
    const path = `/fields/${name}`;
    const field = entity.fields.find((f) => f.name === name);
    if (!field) {
      issues.push({ path, message: `${entity.name} has no field "${name}"` });
      continue;
    }
    if ((COMPUTED_FIELD_TYPES as readonly string[]).includes(field.type)) {
      issues.push({ path, message: `${field.type} fields are computed by Kehu and cannot be mapped` });
      continue;
    }
    const problem = sourceProblem(fieldSourceOf(raw), field, context);
    if (problem) issues.push({ path: problem.path ? `${path}/${problem.path}` : path, message: problem.message });
  }
  if (mapping.schedule !== undefined) {
    const problem = cronProblem(mapping.schedule);
    if (problem) issues.push({ path: "/schedule", message: problem });
  }
  if (mapping.filter) {
    const problem = expressionProblem(mapping.filter);
    if (problem) issues.push({ path: "/filter", message: problem });
  }
  return issues;
}

function isUnique(entity: EntityDefinition, name: string): boolean {
  const field = entity.fields.find((f) => f.name === name);
  return (
    !!field?.unique || (entity.indexes ?? []).some((ix) => ix.unique && ix.fields.length === 1 && ix.fields[0] === name)
  );
}

function sourceProblem(
  source: FieldSource,
  field: FieldDefinition,
  context: MappingContext,
): { path?: string; message: string } | undefined {
  switch (source.kind) {
    case "expr": {
      const problem = expressionProblem(source.expr);
      return problem ? { path: "expr", message: problem } : undefined;
    }
    case "valueMap": {
      if (field.type !== "enum") return undefined;
      const allowed = new Set(enumValueNames(field));
      const bad = Object.entries(source.map).find(([, v]) => v !== null && !allowed.has(String(v)));
      if (bad) return { path: `valueMap/map/${bad[0]}`, message: `"${bad[1]}" is not a value of ${field.name}` };
      if (source.hasDefault && source.default !== null && !allowed.has(String(source.default)))
        return { path: "valueMap/default", message: `"${source.default}" is not a value of ${field.name}` };
      return undefined;
    }
    case "lookup": {
      if (field.type !== "reference" || field.target !== source.entity)
        return { path: "lookup/entity", message: `${field.name} must be a reference to ${source.entity}` };
      const target = context.entity(source.entity);
      if (!target) return { path: "lookup/entity", message: `no entity named "${source.entity}"` };
      if (!isUnique(target, source.by))
        return { path: "lookup/by", message: `must be a unique field of ${source.entity}` };
      return undefined;
    }
    case "money":
      return field.type === "money"
        ? undefined
        : { message: `a money source needs a money field (${field.name} is ${field.type})` };
    case "unit":
      return ["integer", "decimal"].includes(field.type)
        ? undefined
        : { message: `a unit conversion needs a number field (${field.name} is ${field.type})` };
    default:
      return undefined;
  }
}

function streamIssues(mapping: SyncMapping, stream: StreamDescriptor): Issue[] {
  const issues: Issue[] = [];
  const wants = mapping.direction === "both" ? ["pull", "push"] : [mapping.direction];
  for (const d of wants)
    if (!stream.directions.includes(d as "pull" | "push"))
      issues.push({ path: "/direction", message: `stream ${stream.name} does not support ${d}` });
  const props = (stream.schema.properties ?? undefined) as Record<string, JsonSchema> | undefined;
  if (!props) return issues;
  const known = (path: string) => path.split(".")[0] in props;
  mapping.key.external.forEach((k, i) => {
    if (!known(k)) issues.push({ path: `/key/external/${i}`, message: `stream ${stream.name} has no field "${k}"` });
  });
  for (const [name, raw] of Object.entries(mapping.fields))
    for (const p of sourcePaths(fieldSourceOf(raw)))
      if (!known(p)) issues.push({ path: `/fields/${name}`, message: `stream ${stream.name} has no field "${p}"` });
  return issues;
}
