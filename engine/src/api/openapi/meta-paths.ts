import { entitySchema } from "@kehu/schema";
import { json, type OpenApiObject, problemResponses, ref } from "./openapi-components";

/** The tag of the metadata routes; capitalised, so it never collides with an entity's (snake_case) tag. */
export const METADATA_TAG: OpenApiObject = {
  name: "Metadata",
  description: "**Metadata / 元数据** — entity definitions: the single source of each entity's table, API and schema.",
};

/** Schemas of the metadata API: the entity definition (from `@kehu/schema`), migration plans, revisions. */
export function metaSchemas(): Record<string, OpenApiObject> {
  const { $id: _, ...definition } = structuredClone(entitySchema) as unknown as OpenApiObject;
  return {
    EntityDefinition: definition,
    MigrationStep: {
      type: "object",
      properties: {
        kind: { type: "string", examples: ["add_field"] },
        field: { type: "string" },
        description: { type: "string", description: "A human sentence describing the step." },
        destructive: { type: "boolean" },
        sql: { type: "array", items: { type: "string" } },
      },
      required: ["kind", "description", "destructive", "sql"],
    },
    MigrationPlan: {
      type: "object",
      properties: {
        entity: { type: "string" },
        steps: { type: "array", items: ref("schemas", "MigrationStep") },
        destructive: { type: "boolean", description: "True when any step is; applying needs `confirm=1`." },
      },
      required: ["entity", "steps", "destructive"],
    },
    Revision: {
      type: "object",
      description: "One applied change of an entity's definition: who, when, what, and the plan that ran.",
      properties: {
        id: { type: "integer" },
        actor: { type: "string" },
        at: { type: "string", format: "date-time" },
        action: { type: "string" },
        summary: { type: "array", items: { type: "string" }, description: "The plan's step descriptions." },
        plan: ref("schemas", "MigrationPlan"),
        before: { anyOf: [ref("schemas", "EntityDefinition"), { type: "null" }] },
        after: { anyOf: [ref("schemas", "EntityDefinition"), { type: "null" }] },
      },
      required: ["id", "actor", "at", "action", "plan"],
    },
    StoredEntity: {
      type: "object",
      description: "An entity definition as stored (every field has its `id`) and its revision number.",
      properties: { definition: ref("schemas", "EntityDefinition"), revision: { type: "integer" } },
      required: ["definition", "revision"],
    },
    EntityChange: {
      type: "object",
      description: "The entity as stored after the change, and the plan that ran.",
      properties: {
        definition: ref("schemas", "EntityDefinition"),
        revision: { type: "integer" },
        plan: ref("schemas", "MigrationPlan"),
      },
      required: ["definition", "revision", "plan"],
    },
    PlanPreview: {
      type: "object",
      description: "A dry run: the plan, checked against the data; nothing changed.",
      properties: { dryRun: { const: true }, plan: ref("schemas", "MigrationPlan") },
      required: ["dryRun", "plan"],
    },
  };
}

const dryRun: OpenApiObject = {
  name: "dryRun",
  in: "query",
  description: "`1`: only plan the migration and return the plan; nothing changes.",
  schema: { type: "string", enum: ["1", "0"] },
};
const confirm: OpenApiObject = {
  name: "confirm",
  in: "query",
  description: "`1`: confirms destructive steps (dropped data is archived); without it they are refused with 409.",
  schema: { type: "string", enum: ["1", "0"] },
};
const name: OpenApiObject = {
  name: "name",
  in: "path",
  required: true,
  description: "The entity's name.",
  schema: { type: "string", pattern: "^[a-z][a-z0-9]*(_[a-z0-9]+)*$" },
};

const respond = (description: string, ...schemas: string[]): OpenApiObject => ({
  description,
  content: json(schemas.length === 1 ? ref("schemas", schemas[0]) : { oneOf: schemas.map((n) => ref("schemas", n)) }),
});

const DELETED: OpenApiObject = {
  type: "object",
  properties: { deleted: { const: true }, plan: ref("schemas", "MigrationPlan"), revisionId: { type: "integer" } },
  required: ["deleted", "plan", "revisionId"],
};

/** The metadata routes (`/api/meta/entities...`). */
export function metaPaths(): Record<string, OpenApiObject> {
  const tags = [METADATA_TAG.name];
  const definitionBody = { required: true, content: json(ref("schemas", "EntityDefinition")) };
  return {
    "/api/meta/entities": {
      get: {
        tags,
        operationId: "metadata.listEntities",
        summary: "List entity definitions",
        responses: {
          "200": {
            description: "Every entity, sorted by name.",
            content: json({
              type: "object",
              properties: { data: { type: "array", items: ref("schemas", "EntityDefinition") } },
            }),
          },
        },
      },
      post: {
        tags,
        operationId: "metadata.createEntity",
        summary: "Create an entity (validated, planned, applied in one transaction)",
        parameters: [dryRun],
        requestBody: definitionBody,
        responses: {
          "200": respond("The plan (dry run).", "PlanPreview"),
          "201": respond("Created.", "EntityChange"),
          ...problemResponses(400, 409, 413, 415),
        },
      },
    },
    "/api/meta/entities/{name}": {
      parameters: [name],
      get: {
        tags,
        operationId: "metadata.getEntity",
        summary: "Read an entity definition",
        responses: {
          "200": respond("The definition and its revision.", "StoredEntity"),
          ...problemResponses(404),
        },
      },
      put: {
        tags,
        operationId: "metadata.replaceEntity",
        summary: "Change an entity definition (the migration plan can be previewed with dryRun=1)",
        parameters: [dryRun, confirm],
        requestBody: definitionBody,
        responses: {
          "200": respond("The changed entity, or the plan of a dry run.", "EntityChange", "PlanPreview"),
          ...problemResponses(400, 404, 409, 413, 415),
        },
      },
      delete: {
        tags,
        operationId: "metadata.deleteEntity",
        summary: "Delete an entity and its table (needs confirm=1)",
        parameters: [dryRun, confirm],
        responses: {
          "200": {
            description: "Deleted (its data archived), or the plan of a dry run.",
            content: json({ oneOf: [DELETED, ref("schemas", "PlanPreview")] }),
          },
          ...problemResponses(404, 409),
        },
      },
    },
    "/api/meta/entities/{name}/revisions": {
      parameters: [name],
      get: {
        tags,
        operationId: "metadata.entityRevisions",
        summary: "The revisions of an entity, newest first",
        responses: {
          "200": {
            description: "Revisions.",
            content: json({
              type: "object",
              properties: { data: { type: "array", items: ref("schemas", "Revision") } },
            }),
          },
          ...problemResponses(404),
        },
      },
    },
    "/api/meta/entities/{name}/form": {
      parameters: [name],
      get: {
        tags,
        operationId: "metadata.entityForm",
        summary: "The caller's form of the entity (their role's, else the default; null when none)",
        responses: {
          "200": {
            description: "The form layout, or null.",
            content: json({ type: "object", properties: { form: { type: ["object", "null"] } }, required: ["form"] }),
          },
          ...problemResponses(404),
        },
      },
    },
    "/api/meta/entities/{name}/impact": {
      parameters: [name],
      get: {
        tags,
        operationId: "metadata.entityImpact",
        summary:
          "What uses the entity or one of its fields: formulas, roll-ups, references, unique keys, forms, workflows, permissions, sync mappings",
        parameters: [
          { name: "field", in: "query", description: "One field of the entity.", schema: { type: "string" } },
        ],
        responses: {
          "200": {
            description: "The dependants.",
            content: json({ type: "object", properties: { data: { type: "array", items: { type: "object" } } } }),
          },
          ...problemResponses(404),
        },
      },
    },
    "/api/meta/entities/{name}/schema": {
      parameters: [name],
      get: {
        tags,
        operationId: "metadata.entityRecordSchema",
        summary: "The JSON Schema (2020-12) of the entity's records",
        parameters: [
          {
            name: "kind",
            in: "query",
            description: "Which body: a new record, a partial update, or a record as read.",
            schema: { type: "string", enum: ["create", "patch", "read"], default: "create" },
          },
        ],
        responses: {
          "200": {
            description: "A JSON Schema.",
            content: { "application/schema+json": { schema: { type: "object" } } },
          },
          ...problemResponses(400, 404),
        },
      },
    },
  };
}
