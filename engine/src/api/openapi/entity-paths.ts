import type { EntityDefinition } from "@kehu/schema";
import { recordJsonSchema } from "../../records/record-schema";
import { XLSX_TYPE } from "../../transfer/sheet-source";
import { json, type OpenApiObject, problemResponses, ref } from "./openapi-components";

/** Component names of an entity's schemas; entity names are snake_case, so the dot never collides. */
export const schemaNames = (entity: string) => ({
  read: entity,
  create: `${entity}.create`,
  patch: `${entity}.patch`,
  list: `${entity}.list`,
  bulk: `${entity}.bulk`,
});

const BULK_RESULT = "BulkResult";
const IMPORT_RESULT = "ImportResult";

/** Schemas of record bodies every entity shares (the bulk result), added once. */
export const sharedRecordSchemas: Record<string, OpenApiObject> = {
  [BULK_RESULT]: {
    type: "object",
    properties: {
      created: { type: "integer", minimum: 0 },
      updated: { type: "integer", minimum: 0 },
      ids: {
        type: "array",
        items: { type: ["string", "null"], format: "uuid" },
        description: "Per input record, its id, or null when it was skipped.",
      },
      errors: {
        type: "array",
        items: ref("schemas", "Issue"),
        description: "Problems of skipped records (non-atomic mode), with paths `/records/<index>/...`.",
      },
    },
    required: ["created", "updated", "ids", "errors"],
  },
  [IMPORT_RESULT]: {
    type: "object",
    properties: {
      created: { type: "integer", minimum: 0 },
      updated: { type: "integer", minimum: 0 },
      skipped: { type: "integer", minimum: 0, description: "Data rows not written because of an error." },
      errors: {
        type: "array",
        items: {
          type: "object",
          properties: {
            row: { type: "integer", description: "The sheet row (the header is row 1)." },
            column: { type: ["string", "null"] },
            field: { type: ["string", "null"] },
            message: { type: "string" },
          },
          required: ["row", "column", "field", "message"],
        },
      },
      dryRun: { type: "boolean" },
    },
    required: ["created", "updated", "skipped", "errors", "dryRun"],
  },
};

function withoutDialect(schema: OpenApiObject): OpenApiObject {
  const { $schema: _, ...rest } = schema;
  return rest;
}

/** The component schemas of one entity: its record as read, create and patch bodies, the list page and the bulk body. */
export function entitySchemas(
  entity: EntityDefinition,
  exists: (name: string) => boolean,
): Record<string, OpenApiObject> {
  const names = schemaNames(entity.name);
  const read = withoutDialect(recordJsonSchema(entity, "read"));
  const properties = read.properties as Record<string, OpenApiObject>;
  // `expand=<field>` embeds the referenced record in place of its id.
  for (const field of entity.fields)
    if (field.type === "reference" && field.target && exists(field.target))
      properties[field.name] = { anyOf: [properties[field.name], ref("schemas", schemaNames(field.target).read)] };
  const unique = entity.fields.filter((f) => f.unique).map((f) => f.name);
  return {
    [names.read]: read,
    [names.create]: withoutDialect(recordJsonSchema(entity, "create")),
    [names.patch]: withoutDialect(recordJsonSchema(entity, "patch")),
    [names.list]: {
      type: "object",
      properties: {
        data: { type: "array", items: ref("schemas", names.read) },
        nextCursor: { type: ["string", "null"], description: "Pass as `cursor` for the next page; null on the last." },
      },
      required: ["data", "nextCursor"],
    },
    [names.bulk]: {
      type: "object",
      properties: {
        records: {
          type: "array",
          maxItems: 10000,
          items: { anyOf: [ref("schemas", names.create), ref("schemas", names.patch)] },
          description: "New records; with `upsertBy`, a record whose key exists updates only the fields it carries.",
        },
        ...(unique.length && {
          upsertBy: { type: "string", enum: unique, description: "A unique field matching records to update." },
        }),
        atomic: {
          type: "boolean",
          default: true,
          description: "All or nothing; false skips invalid records and reports them.",
        },
      },
      required: ["records"],
      additionalProperties: false,
    },
  };
}

function recordResponse(entity: string, description: string, withEtag: boolean): OpenApiObject {
  return {
    description,
    ...(withEtag && { headers: { ETag: ref("headers", "ETag") } }),
    content: json(ref("schemas", schemaNames(entity).read)),
  };
}

function describeFields(entity: EntityDefinition): string {
  return entity.fields.map((f) => `\`${f.name}\``).join(", ");
}

/** Parameters of a list or read that depend on the entity's fields. */
function shapeParameters(entity: EntityDefinition, withSort: boolean): OpenApiObject[] {
  const references = entity.fields.filter((f) => f.type === "reference").map((f) => `\`${f.name}\``);
  return [
    ...(withSort
      ? [
          {
            name: "sort",
            in: "query",
            description: `Comma-separated fields, \`-\` for descending, e.g. \`-created_at,name\`. Fields: ${describeFields(entity)}.`,
            schema: { type: "string" },
          },
        ]
      : []),
    {
      name: "fields",
      in: "query",
      description: `Comma-separated fields to return (\`id\` and \`version\` always come): ${describeFields(entity)}.`,
      schema: { type: "string" },
    },
    ...(references.length
      ? [
          {
            name: "expand",
            in: "query",
            description: `Reference fields whose records are embedded in place of their ids: ${references.join(", ")}.`,
            schema: { type: "string" },
          },
        ]
      : []),
  ];
}

/** The data routes of one entity (`/api/data/<entity>...`), tagged with the entity's name. */
export function entityPaths(entity: EntityDefinition): Record<string, OpenApiObject> {
  const e = entity.name;
  const names = schemaNames(e);
  const label = entity.label?.en ?? e;
  const tags = [e];
  const body = (schema: string) => ({ required: true, content: json(ref("schemas", schema)) });
  const id = ref("parameters", "recordId");
  const ifMatch = ref("parameters", "ifMatch");
  return {
    [`/api/data/${e}`]: {
      get: {
        tags,
        operationId: `${e}.list`,
        summary: `List ${label} records`,
        description: "One page of live records; follow `nextCursor` for the next.",
        parameters: [
          ...["filter", "search", "searchMode", "limit", "cursor"].map((p) => ref("parameters", p)),
          ...shapeParameters(entity, true),
        ],
        responses: {
          "200": { description: "A page of records.", content: json(ref("schemas", names.list)) },
          ...problemResponses(400, 404),
        },
      },
      post: {
        tags,
        operationId: `${e}.create`,
        summary: `Create a ${label} record`,
        requestBody: body(names.create),
        responses: {
          "201": {
            description: "Created.",
            headers: { Location: ref("headers", "Location"), ETag: ref("headers", "ETag") },
            content: json(ref("schemas", names.read)),
          },
          ...problemResponses(400, 404, 409, 413, 415),
        },
      },
    },
    [`/api/data/${e}/bulk`]: {
      post: {
        tags,
        operationId: `${e}.bulkUpsert`,
        summary: `Create or update up to 10,000 ${label} records`,
        requestBody: body(names.bulk),
        responses: {
          "200": { description: "Every record was written.", content: json(ref("schemas", BULK_RESULT)) },
          "207": {
            description: "Some records were skipped (non-atomic); see `errors`.",
            content: json(ref("schemas", BULK_RESULT)),
          },
          ...problemResponses(400, 404, 409, 413, 415),
        },
      },
    },
    [`/api/data/${e}/import`]: {
      post: {
        tags,
        operationId: `${e}.import`,
        summary: `Import a CSV or XLSX file into ${label} records`,
        description:
          "The file is the body (`text/csv` or the XLSX type) or the `file` part of a form. Columns map to fields by " +
          "name or label; every row is validated and audited as the caller. 422 in all-or-nothing mode with bad rows.",
        parameters: [
          { name: "mode", in: "query", schema: { type: "string", enum: ["all-or-nothing", "skip-invalid"] } },
          {
            name: "upsertBy",
            in: "query",
            description: "A unique field: rows whose value exists update.",
            schema: { type: "string" },
          },
          {
            name: "mapping",
            in: "query",
            description: 'JSON `{"<column>": "<field>" | null}`.',
            schema: { type: "string" },
          },
          { name: "dryRun", in: "query", schema: { type: "string", enum: ["1", "0", "true", "false"] } },
          { name: "ignoreUnknown", in: "query", schema: { type: "string", enum: ["1", "0", "true", "false"] } },
          { name: "sheet", in: "query", description: "The XLSX sheet to read.", schema: { type: "string" } },
          {
            name: "delimiter",
            in: "query",
            description: "CSV delimiter (`tab` for a tab).",
            schema: { type: "string" },
          },
          {
            name: "encoding",
            in: "query",
            description: "CSV text encoding, e.g. `gb18030`.",
            schema: { type: "string" },
          },
        ],
        requestBody: {
          required: true,
          content: {
            "text/csv": { schema: { type: "string" } },
            [XLSX_TYPE]: { schema: { type: "string", contentEncoding: "binary" } },
            "multipart/form-data": {
              schema: {
                type: "object",
                properties: { file: { type: "string", contentEncoding: "binary" } },
                required: ["file"],
              },
            },
          },
        },
        responses: {
          "200": { description: "What was written, and every bad row.", content: json(ref("schemas", IMPORT_RESULT)) },
          "422": {
            description: "All-or-nothing with bad rows: nothing was written; `errors` names each row and column.",
            content: { "application/problem+json": { schema: ref("schemas", "Problem") } },
          },
          ...problemResponses(400, 404, 413, 415),
        },
      },
    },
    [`/api/data/${e}/export`]: {
      get: {
        tags,
        operationId: `${e}.export`,
        summary: `Export the ${label} records a list would show, as CSV or XLSX`,
        description: "Cells starting with `= + - @` are neutralised against formula injection.",
        parameters: [
          ...["filter", "search", "searchMode"].map((p) => ref("parameters", p)),
          ...shapeParameters(entity, true),
          { name: "format", in: "query", schema: { type: "string", enum: ["csv", "xlsx"], default: "csv" } },
          {
            name: "header",
            in: "query",
            description: "The header row: field names, English or Chinese labels.",
            schema: { type: "string", enum: ["name", "en", "zh"], default: "en" },
          },
          {
            name: "references",
            in: "query",
            description: "Reference cells as the target's title or its id.",
            schema: { type: "string", enum: ["title", "id"], default: "title" },
          },
        ],
        responses: {
          "200": {
            description: "The file.",
            content: {
              "text/csv": { schema: { type: "string" } },
              [XLSX_TYPE]: { schema: { type: "string", contentEncoding: "binary" } },
            },
          },
          ...problemResponses(400, 404),
        },
      },
    },
    [`/api/data/${e}/{id}`]: {
      parameters: [id],
      get: {
        tags,
        operationId: `${e}.get`,
        summary: `Read a ${label} record`,
        parameters: shapeParameters(entity, false),
        responses: { "200": recordResponse(e, "The record.", true), ...problemResponses(400, 404) },
      },
      patch: {
        tags,
        operationId: `${e}.update`,
        summary: `Change fields of a ${label} record`,
        parameters: [ifMatch],
        requestBody: body(names.patch),
        responses: {
          "200": recordResponse(e, "The updated record.", true),
          ...problemResponses(400, 404, 409, 413, 415),
        },
      },
      delete: {
        tags,
        operationId: `${e}.delete`,
        summary: `Delete a ${label} record (soft delete; it can be restored)`,
        parameters: [ifMatch],
        responses: { "200": recordResponse(e, "The deleted record.", false), ...problemResponses(400, 404, 409) },
      },
    },
    [`/api/data/${e}/{id}/restore`]: {
      parameters: [id],
      post: {
        tags,
        operationId: `${e}.restore`,
        summary: `Restore a deleted ${label} record`,
        parameters: [ifMatch],
        responses: { "200": recordResponse(e, "The restored record.", true), ...problemResponses(400, 404, 409) },
      },
    },
  };
}

/** The tag of an entity's routes, with its English and Chinese labels. */
export function entityTag(entity: EntityDefinition): OpenApiObject {
  const labels = [entity.label?.en, entity.label?.zh].filter(Boolean).join(" / ");
  const about = entity.description?.en ?? entity.description?.zh;
  return {
    name: entity.name,
    description: [labels ? `**${labels}**` : undefined, about].filter(Boolean).join(" — ") || entity.name,
  };
}
