import { PROBLEM_CONTENT_TYPE } from "@kehu/core";

/** A JSON value of an OpenAPI document (schemas are plain JSON Schema 2020-12 objects in 3.1). */
export type OpenApiObject = Record<string, unknown>;

/** `$ref` to a component of the given kind. */
export function ref(kind: "schemas" | "parameters" | "responses" | "headers", name: string): OpenApiObject {
  return { $ref: `#/components/${kind}/${name}` };
}

/** JSON content of the given schema. */
export function json(schema: OpenApiObject): OpenApiObject {
  return { "application/json": { schema } };
}

const ISSUE: OpenApiObject = {
  type: "object",
  description: "One offending input: where it is and what is wrong with it.",
  properties: {
    path: {
      type: "string",
      description: "JSON pointer of the offending input, e.g. `/fields/2/type`",
      examples: ["/name"],
    },
    message: { type: "string", examples: ["is required"] },
  },
  required: ["path", "message"],
};

const PROBLEM: OpenApiObject = {
  type: "object",
  description: "RFC 9457 problem details. Validation errors name every bad input in `errors`.",
  properties: {
    type: { type: "string", format: "uri", examples: ["https://kehu.dev/problems/validation-failed"] },
    title: { type: "string", examples: ["Validation failed"] },
    status: { type: "integer", minimum: 400, maximum: 599 },
    detail: { type: "string" },
    instance: { type: "string" },
    errors: { type: "array", items: ref("schemas", "Issue") },
  },
  required: ["type", "title", "status"],
};

/** Error responses shared by every route, all `application/problem+json`. */
const PROBLEM_RESPONSES: Record<string, string> = {
  BadRequest: "The request is malformed or invalid (`errors` names every offending input).",
  NotFound: "No such entity or record.",
  Conflict: "A version, unique value, reference or confirmation conflict.",
  PayloadTooLarge: "The body is too large.",
  UnsupportedMediaType: "The body is not `application/json`.",
  UnprocessableContent: "The request is valid but what it asks for failed (`detail` says why).",
};

function problemResponse(description: string): OpenApiObject {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ref("schemas", "Problem") } } };
}

/** Query parameters of a record list that are the same for every entity. */
const LIST_PARAMETERS: Record<string, OpenApiObject> = {
  filter: {
    name: "filter",
    in: "query",
    description:
      'Filter AST as JSON (URL-encoded), e.g. `{"tier": {"eq": "gold"}}`, `{"and": [...]}`, `{"or": [...]}`, `{"not": {...}}`. ' +
      "Operators: eq, ne, lt, lte, gt, gte, in, nin, between, contains, startsWith, isNull.",
    content: json({ type: "object" }),
  },
  search: {
    name: "search",
    in: "query",
    description:
      "Text the record's searchable fields contain (case-insensitive; `%` and `_` are literal), ranked by similarity.",
    schema: { type: "string" },
  },
  searchMode: {
    name: "searchMode",
    in: "query",
    description: "`contains` (default) or `fuzzy` for typo-tolerant matching.",
    schema: { type: "string", enum: ["contains", "fuzzy"], default: "contains" },
  },
  limit: {
    name: "limit",
    in: "query",
    description: "Records per page.",
    schema: { type: "integer", minimum: 1, maximum: 1000, default: 50 },
  },
  cursor: {
    name: "cursor",
    in: "query",
    description: "`nextCursor` of the previous page.",
    schema: { type: "string" },
  },
  recordId: {
    name: "id",
    in: "path",
    required: true,
    description: "The record's id.",
    schema: { type: "string", format: "uuid" },
  },
  ifMatch: {
    name: "If-Match",
    in: "header",
    description:
      'The version the change expects (the record\'s ETag, e.g. `"3"`); a stale version is refused with 409.',
    schema: { type: "string", examples: ['"3"'] },
  },
};

const HEADERS: Record<string, OpenApiObject> = {
  ETag: { description: 'The record\'s version, e.g. `"3"`; send it back as `If-Match`.', schema: { type: "string" } },
  Location: { description: "URL of the created record.", schema: { type: "string" } },
};

const SECURITY_SCHEMES: Record<string, OpenApiObject> = {
  bearerAuth: { type: "http", scheme: "bearer", description: "An API token: `Authorization: Bearer <token>`." },
  sessionCookie: {
    type: "apiKey",
    in: "cookie",
    name: "kehu_session",
    description: "The studio's session cookie, set by `POST /api/auth/login`.",
  },
};

/** The components every document has, before entity schemas are added. */
export function commonComponents(): {
  schemas: Record<string, OpenApiObject>;
  parameters: Record<string, OpenApiObject>;
  responses: Record<string, OpenApiObject>;
  headers: Record<string, OpenApiObject>;
  securitySchemes: Record<string, OpenApiObject>;
} {
  return {
    schemas: { Issue: ISSUE, Problem: PROBLEM },
    parameters: structuredClone(LIST_PARAMETERS),
    responses: Object.fromEntries(Object.entries(PROBLEM_RESPONSES).map(([k, d]) => [k, problemResponse(d)])),
    headers: structuredClone(HEADERS),
    securitySchemes: structuredClone(SECURITY_SCHEMES),
  };
}

/** The problem responses a route can give, by status, as `$ref`s. */
export function problemResponses(...statuses: Array<400 | 404 | 409 | 413 | 415 | 422>): Record<string, OpenApiObject> {
  const names = {
    400: "BadRequest",
    404: "NotFound",
    409: "Conflict",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
    422: "UnprocessableContent",
  };
  return Object.fromEntries(statuses.map((s) => [String(s), ref("responses", names[s])]));
}
